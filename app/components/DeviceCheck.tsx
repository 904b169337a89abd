// The room's pre-join device check: asks for the camera and microphone, lets the person choose devices, shows a
// preview and a live microphone level, and lets them join muted or with the camera off. Nothing leaves the
// browser here: the preview is local.
import { useEffect, useRef, useState } from "react";
import { Button } from "./ui/Button";
import { Card } from "./ui/Card";

export interface DeviceChoice {
  audioDeviceId?: string;
  videoDeviceId?: string;
}

type Status =
  { state: "idle" } | { state: "asking" } | { state: "ok"; hasVideo: boolean } | { state: "error"; message: string };

function explain(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "Your browser blocked the camera and microphone. Allow them for this site (the camera icon in the address bar), then try again.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError")
    return "We could not find a microphone. Plug one in, or choose another, then try again.";
  if (name === "NotReadableError") return "Another app is using your camera or microphone. Close it, then try again.";
  return "We could not start your camera and microphone. Please try again.";
}

export function DeviceCheck(props: {
  onReady: (choice: DeviceChoice | null) => void;
  microphoneOn: boolean;
  cameraOn: boolean;
  onMicrophone: (on: boolean) => void;
  onCamera: (on: boolean) => void;
  keepPreview: boolean;
}) {
  const { onReady, keepPreview } = props;
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [choice, setChoice] = useState<DeviceChoice>({});
  const [level, setLevel] = useState(0);
  const stream = useRef<MediaStream | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const audio = useRef<{ ctx: AudioContext; raf: number } | null>(null);

  const stop = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    if (audio.current) {
      cancelAnimationFrame(audio.current.raf);
      void audio.current.ctx.close().catch(() => {});
      audio.current = null;
    }
  };
  useEffect(() => stop, []);
  useEffect(() => {
    if (!keepPreview) stop();
  }, [keepPreview]);

  const start = async (wanted: DeviceChoice) => {
    stop();
    setStatus({ state: "asking" });
    onReady(null);
    let media: MediaStream;
    const audioConstraint = wanted.audioDeviceId ? { deviceId: { exact: wanted.audioDeviceId } } : true;
    try {
      media = await navigator.mediaDevices.getUserMedia({
        audio: audioConstraint,
        video: wanted.videoDeviceId ? { deviceId: { exact: wanted.videoDeviceId } } : true,
      });
    } catch (first) {
      // No camera (or it is busy): a voice-only session is fine.
      try {
        media = await navigator.mediaDevices.getUserMedia({ audio: audioConstraint });
      } catch {
        setStatus({ state: "error", message: explain(first) });
        return;
      }
    }
    stream.current = media;
    const audioTrack = media.getAudioTracks()[0];
    const videoTrack = media.getVideoTracks()[0];
    const devices = await navigator.mediaDevices.enumerateDevices();
    setCameras(devices.filter((d) => d.kind === "videoinput"));
    setMics(devices.filter((d) => d.kind === "audioinput"));
    const picked = {
      audioDeviceId: audioTrack?.getSettings().deviceId,
      videoDeviceId: videoTrack?.getSettings().deviceId,
    };
    setChoice(picked);
    if (video.current && videoTrack) {
      video.current.srcObject = new MediaStream([videoTrack]);
      void video.current.play().catch(() => {});
    }
    if (audioTrack) {
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 512;
      ctx.createMediaStreamSource(new MediaStream([audioTrack])).connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(samples);
        let peak = 0;
        for (const v of samples) peak = Math.max(peak, Math.abs(v - 128));
        setLevel(Math.min(1, peak / 64));
        if (audio.current) audio.current.raf = requestAnimationFrame(tick);
      };
      audio.current = { ctx, raf: requestAnimationFrame(tick) };
    }
    setStatus({ state: "ok", hasVideo: Boolean(videoTrack) });
    onReady(picked);
  };

  return (
    <Card as="section" className="stack device-check" aria-labelledby="devices-title">
      <h2 id="devices-title">Camera and microphone</h2>
      {status.state === "idle" ? (
        <>
          <p className="hint">
            Check them before you join. Your browser will ask for permission; the preview stays on this device.
          </p>
          <p>
            <Button variant="secondary" type="button" onClick={() => void start({})}>
              Check camera and microphone
            </Button>
          </p>
        </>
      ) : null}
      {status.state === "asking" ? <p aria-live="polite">Waiting for your browser's permission…</p> : null}
      {status.state === "error" ? (
        <div className="stack">
          <p role="alert" className="form-alert">
            {status.message}
          </p>
          <p>
            <Button variant="secondary" type="button" onClick={() => void start({})}>
              Try again
            </Button>
          </p>
        </div>
      ) : null}
      <div className="preview" hidden={status.state !== "ok" || !status.hasVideo}>
        <video ref={video} muted playsInline autoPlay aria-label="Your camera preview" />
      </div>
      {status.state === "ok" ? (
        <div className="stack">
          <p aria-live="polite" data-testid="devices-ok">
            ✓ Your{" "}
            {status.hasVideo
              ? "camera and microphone work"
              : "microphone works (no camera found: the session can be voice only)"}
            .
          </p>
          <label htmlFor="mic-level">Microphone level — say something</label>
          <meter id="mic-level" min={0} max={1} value={level} />
          {mics.length > 1 ? (
            <div className="field">
              <label htmlFor="mic-select">Microphone</label>
              <select
                id="mic-select"
                value={choice.audioDeviceId ?? ""}
                onChange={(e) => void start({ ...choice, audioDeviceId: e.target.value })}
              >
                {mics.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Microphone ${i + 1}`}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {cameras.length > 1 ? (
            <div className="field">
              <label htmlFor="camera-select">Camera</label>
              <select
                id="camera-select"
                value={choice.videoDeviceId ?? ""}
                onChange={(e) => void start({ ...choice, videoDeviceId: e.target.value })}
              >
                {cameras.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Camera ${i + 1}`}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field checkbox">
            <input
              id="join-mic"
              type="checkbox"
              checked={props.microphoneOn}
              onChange={(e) => props.onMicrophone(e.target.checked)}
            />
            <label htmlFor="join-mic">Join with my microphone on</label>
          </div>
          {status.hasVideo ? (
            <div className="field checkbox">
              <input
                id="join-camera"
                type="checkbox"
                checked={props.cameraOn}
                onChange={(e) => props.onCamera(e.target.checked)}
              />
              <label htmlFor="join-camera">Join with my camera on</label>
            </div>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
