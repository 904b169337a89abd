import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useCallback, useEffect, useRef, useState } from "react";
import { DeviceCheck, type DeviceChoice } from "~/components/DeviceCheck";
import { Notice } from "~/components/forms";
import { isDomainError, liveKitSettings, roomAccess, deps } from "~/core.server";
import { formatDateTime, formatSession } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { startCall, CallRefused, type Call } from "~/rooms/call.client";
import { exchangeKeys } from "~/rooms/keys.client";
import { reportBoundaryError } from "~/utils/error-reporter";
import { requireSession } from "~/utils/session.server";
import { CrisisNotice } from "~/components/CrisisNotice";
import { crisisFor } from "~/utils/crisis.server";
import { Button } from "~/components/ui/Button";
import { Card } from "~/components/ui/Card";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Session with ${data.peerName} — Mind Namo` : "Live session — Mind Namo" },
];
// Personal: never cached anywhere.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  let access;
  try {
    access = await roomAccess(db, session, String(params.id ?? "").slice(0, 64), new Date());
  } catch (error) {
    if (isDomainError(error) && (error.code === "FORBIDDEN" || error.code === "NOT_FOUND")) {
      throw new Response(error.message, { status: error.code === "FORBIDDEN" ? 403 : 404 });
    }
    throw error;
  }
  const { timezone } = session.user;
  const viewer = accountViewer(request, timezone);
  return {
    crisis: await crisisFor(request, context),
    bookingId: access.bookingId,
    // Namespaces this browser's stored key pair, so two accounts on one browser never share one: the per-booking
    // pseudonym of this side (no account id reaches the page, P17).
    keySlot: access.identity,
    role: access.role,
    peerName: access.peer.name,
    when: formatSession(access.startsAt, access.endsAt, viewer),
    opensAtText: formatDateTime(access.join.opensAt, viewer),
    status: access.status,
    opensAt: access.join.opensAt.toISOString(),
    closesAt: access.join.closesAt.toISOString(),
    videoConfigured: liveKitSettings(context.services.config) !== null,
  };
}

type Keys =
  | { state: "idle" | "working" }
  | { state: "waiting" }
  | { state: "ready"; safetyCode: string }
  | { state: "error"; message: string };
type Phase = "prejoin" | "joining" | "in-call";

const POLL_MS = 3_000;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

export default function Room() {
  const data = useLoaderData<typeof loader>();
  const backTo = data.role === "EXPERT" ? "/expert" : "/sessions";
  const now = useNow(15_000);
  const opensAt = Date.parse(data.opensAt);
  const closesAt = Date.parse(data.closesAt);
  const live = data.status === "CONFIRMED" && now < closesAt;
  const windowOpen = live && now >= opensAt;

  const [keys, setKeys] = useState<Keys>({ state: "idle" });
  const mediaKey = useRef<ArrayBuffer | null>(null);
  const [devices, setDevices] = useState<DeviceChoice | null>(null);
  const [phase, setPhase] = useState<Phase>("prejoin");
  const [problem, setProblem] = useState<string | null>(null);
  const [peerHere, setPeerHere] = useState(false);
  const [left, setLeft] = useState(false);
  // Times in the browser's own zone only after hydration (the server does not know the browser's zone).
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const [micOn, setMicOn] = useState(true);
  const [camOn, setCamOn] = useState(true);
  const call = useRef<Call | null>(null);
  const remote = useRef<HTMLDivElement>(null);

  // The key agreement: post this browser's public key, then wait for the other person's.
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    let timer: number | undefined;
    const step = async () => {
      setKeys((k) => (k.state === "idle" ? { state: "working" } : k));
      try {
        const result = await exchangeKeys(data.bookingId, data.keySlot);
        if (stopped) return;
        if (result.state === "ready") {
          mediaKey.current = result.keys.mediaKey;
          setKeys({ state: "ready", safetyCode: result.keys.safetyCode });
          return;
        }
        if (result.state === "error") {
          setKeys({ state: "error", message: result.message });
          return;
        }
        setKeys({ state: "waiting" });
      } catch {
        if (stopped) return;
        setKeys({
          state: "error",
          message:
            "This browser could not create an encryption key (it needs WebCrypto and IndexedDB; private windows may block them).",
        });
        return;
      }
      timer = window.setTimeout(step, POLL_MS);
    };
    void step();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [live, data.bookingId, data.keySlot]);

  useEffect(() => () => void call.current?.leave(), []);

  const join = useCallback(async () => {
    if (!devices || !mediaKey.current) return;
    setProblem(null);
    setLeft(false);
    setPhase("joining");
    const res = await fetch(`/sessions/${encodeURIComponent(data.bookingId)}/room/token`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "{}",
    }).catch(() => null);
    const body = res ? ((await res.json().catch(() => ({}))) as { token?: string; url?: string; error?: string }) : {};
    if (!res || !res.ok || !body.token || !body.url) {
      setPhase("prejoin");
      setProblem(
        res?.status === 503
          ? "Live video is not configured on this server, so the call cannot start. Nothing was sent anywhere; " +
              "the safety code above shows the encryption keys were agreed."
          : (body.error ?? "We could not reach the room. Please check your connection and try again."),
      );
      return;
    }
    try {
      call.current = await startCall({
        url: body.url,
        token: body.token,
        mediaKey: mediaKey.current,
        devices: { ...devices, microphoneOn: micOn, cameraOn: camOn && devices.videoDeviceId !== undefined },
        handlers: {
          onRemoteMedia: (el, kind) => {
            el.setAttribute("data-kind", kind);
            if (kind === "video") el.setAttribute("aria-label", `${data.peerName}'s camera`);
            remote.current?.append(el);
          },
          onRemoteGone: (el) => el.remove(),
          onPeerPresence: setPeerHere,
          onEnded: (reason) => {
            call.current = null;
            setPhase("prejoin");
            setLeft(true);
            if (reason) setProblem(reason);
          },
        },
      });
      setPhase("in-call");
    } catch (error) {
      setPhase("prejoin");
      setProblem(error instanceof CallRefused ? error.message : "The call could not start. Please try again.");
    }
  }, [devices, data.bookingId, data.peerName, micOn, camOn]);

  const ready = windowOpen && keys.state === "ready" && devices !== null && phase === "prejoin";
  const whyNot = !live
    ? "This session is over."
    : !windowOpen
      ? mounted
        ? `The room opens on ${data.opensAtText}, 10 minutes before the start.`
        : "The room opens 10 minutes before the start."
      : keys.state !== "ready"
        ? "Waiting for the encryption keys."
        : devices === null
          ? "Check your camera and microphone first."
          : null;

  return (
    <section aria-labelledby="title" className="stack room">
      <p>
        <Link to={backTo}>← Back to {data.role === "EXPERT" ? "your workspace" : "my sessions"}</Link>
      </p>
      <h1 id="title">Session with {data.peerName}</h1>
      <p>{data.when}</p>
      {data.status !== "CONFIRMED" ? (
        <Notice>This session is {data.status.toLowerCase().replace("_", "-")}; its room is closed.</Notice>
      ) : null}
      {!data.videoConfigured ? (
        <Notice>
          Live video is not configured on this server. You can still check your devices and compare the safety code; the
          call itself cannot start.
        </Notice>
      ) : null}

      {live ? (
        <Card as="section" className="stack" aria-labelledby="e2ee-title">
          <h2 id="e2ee-title">End-to-end encryption</h2>
          <p className="hint">
            Your browser made its own key for this session. Only the two of you can decrypt the call: not Mind Namo, not
            the video service.
          </p>
          <div aria-live="polite" data-testid="key-state">
            {keys.state === "idle" || keys.state === "working" ? <p>Setting up encryption…</p> : null}
            {keys.state === "waiting" ? (
              <p>Waiting for {data.peerName} to open the room. You can check your devices meanwhile.</p>
            ) : null}
            {keys.state === "error" ? (
              <p role="alert" className="form-alert">
                {keys.message}
              </p>
            ) : null}
            {keys.state === "ready" ? (
              <div className="safety-code">
                <p>Your safety code</p>
                <p
                  className="code"
                  data-testid="safety-code"
                  aria-label={`Safety code ${keys.safetyCode.split("").join(" ")}`}
                >
                  {keys.safetyCode.slice(0, 3)} {keys.safetyCode.slice(3)}
                </p>
                <p className="hint">
                  Read it aloud with {data.peerName} when the call starts. If your codes differ, leave the call and
                  contact support: someone may be listening in.
                </p>
              </div>
            ) : null}
          </div>
        </Card>
      ) : null}

      {live && phase !== "in-call" ? (
        <DeviceCheck
          onReady={setDevices}
          microphoneOn={micOn}
          cameraOn={camOn}
          onMicrophone={setMicOn}
          onCamera={setCamOn}
          keepPreview={phase === "prejoin"}
        />
      ) : null}

      {left && phase === "prejoin" ? <Notice>You left the call. You can rejoin while the session lasts.</Notice> : null}
      {problem ? (
        <p role="alert" className="form-alert">
          {problem}
        </p>
      ) : null}

      {live && phase !== "in-call" ? (
        <div className="stack">
          <Button
            type="button"
            disabled={!ready}
            aria-describedby={whyNot ? "join-why" : undefined}
            onClick={() => void join()}
          >
            {phase === "joining" ? "Joining…" : "Join the session"}
          </Button>
          {whyNot ? (
            <p id="join-why" className="hint">
              {whyNot}
            </p>
          ) : null}
        </div>
      ) : null}

      {phase === "in-call" ? (
        <section aria-labelledby="call-title" className="stack">
          <h2 id="call-title">In the call</h2>
          <p aria-live="polite">{peerHere ? `${data.peerName} is here.` : `Waiting for ${data.peerName} to join…`}</p>
          <div ref={remote} className="remote-media" />
          <div className="row">
            <Button
              variant="secondary"
              type="button"
              aria-pressed={!micOn}
              onClick={() => void call.current?.setMicrophone(!micOn).then(() => setMicOn(!micOn))}
            >
              {micOn ? "Mute microphone" : "Unmute microphone"}
            </Button>
            <Button
              variant="secondary"
              type="button"
              aria-pressed={!camOn}
              onClick={() => void call.current?.setCamera(!camOn).then(() => setCamOn(!camOn))}
            >
              {camOn ? "Turn camera off" : "Turn camera on"}
            </Button>
            <Button variant="danger" type="button" onClick={() => void call.current?.leave()}>
              Leave
            </Button>
          </div>
        </section>
      ) : null}
      {phase !== "in-call" ? <CrisisNotice crisis={data.crisis} /> : null}
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // A crash in the browser is reported (P7), scrubbed; nothing about the person is sent.
  useEffect(() => reportBoundaryError(error), [error]);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : "We could not open this room.";
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">
        {status === 403 ? "This room is not yours" : status === 404 ? "Session not found" : "Something went wrong"}
      </h1>
      <p>{message}</p>
      <p>
        <Link to="/sessions">Go to my sessions</Link>
      </p>
    </section>
  );
}
