// The live call itself: livekit-client with end-to-end encryption, loaded only when someone presses Join on the
// room page (a dynamic import: no other page, and not even the room's first paint, downloads it). The media key
// comes from the key agreement (keys.client.ts); the E2EE worker is livekit-client's own, served from our origin
// (scripts/copy-vendor.mjs). There is NO fall-back to unencrypted media: if the browser cannot encrypt, or
// encryption fails at any point, the call ends and the page says why.

export const E2EE_WORKER_URL = "/vendor/livekit-e2ee-worker.js";
const WORKER_TIMEOUT_MS = 15_000;

export interface CallHandlers {
  /** A remote track to show (video) or play (audio). */
  onRemoteMedia(element: HTMLMediaElement, kind: "audio" | "video"): void;
  onRemoteGone(element: HTMLMediaElement): void;
  onPeerPresence(present: boolean): void;
  /** The call ended; `reason` is a sentence for the person when it was not their own choice. */
  onEnded(reason?: string): void;
}

export interface Call {
  setMicrophone(on: boolean): Promise<void>;
  setCamera(on: boolean): Promise<void>;
  leave(): Promise<void>;
}

export class CallRefused extends Error {}

export async function startCall(input: {
  url: string;
  token: string;
  mediaKey: ArrayBuffer;
  devices: { audioDeviceId?: string; videoDeviceId?: string; microphoneOn: boolean; cameraOn: boolean };
  handlers: CallHandlers;
}): Promise<Call> {
  const lk = await import("livekit-client");
  if (!lk.isE2EESupported()) {
    throw new CallRefused(
      "This browser cannot encrypt the call end to end, so we will not start it. Please use a recent " +
        "version of Chrome, Edge, Firefox or Safari.",
    );
  }
  const keyProvider = new lk.ExternalE2EEKeyProvider();
  const worker = new Worker(E2EE_WORKER_URL, { type: "module" });
  // The worker answers livekit-client's "init" (posted when the Room is made) with "initAck" once it runs. Until
  // then encryption is only switched on in our page, not in the worker that encrypts frames: a worker that fails
  // to load (blocked, a 404, a broken deploy) must stop the call before any connection, not after.
  const workerReady = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("E2EE worker did not start")), WORKER_TIMEOUT_MS);
    worker.addEventListener("message", (event: MessageEvent<{ kind?: string }>) => {
      if (event.data?.kind !== "initAck") return;
      clearTimeout(timer);
      resolve();
    });
    worker.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error("E2EE worker failed"));
    });
  });
  workerReady.catch(() => {});
  const room = new lk.Room({
    adaptiveStream: true,
    dynacast: true,
    encryption: { keyProvider, worker },
    audioCaptureDefaults: input.devices.audioDeviceId ? { deviceId: input.devices.audioDeviceId } : undefined,
    videoCaptureDefaults: input.devices.videoDeviceId ? { deviceId: input.devices.videoDeviceId } : undefined,
  });
  let ended = false;
  let started = false;
  const end = async (reason?: string) => {
    if (ended) return;
    ended = true;
    await room.disconnect().catch(() => {});
    worker.terminate();
    // Before the call started, the caller learns of the failure from the thrown CallRefused instead.
    if (started) input.handlers.onEnded(reason);
  };
  room.on(lk.RoomEvent.EncryptionError, () => {
    void end(
      "Encryption failed, so we ended the call rather than continue without it. Please rejoin; if it happens again, contact support.",
    );
  });
  room.on(lk.RoomEvent.ParticipantEncryptionStatusChanged, (encrypted, participant) => {
    // Our own media must always be encrypted once connected: anything else ends the call.
    if (
      !encrypted &&
      participant?.identity === room.localParticipant.identity &&
      room.state === lk.ConnectionState.Connected
    ) {
      void end("Your media could not be encrypted, so we ended the call.");
    }
  });
  room.on(lk.RoomEvent.TrackSubscribed, (track) => {
    if (track.kind === lk.Track.Kind.Video || track.kind === lk.Track.Kind.Audio) {
      input.handlers.onRemoteMedia(track.attach(), track.kind === lk.Track.Kind.Video ? "video" : "audio");
    }
  });
  room.on(lk.RoomEvent.TrackUnsubscribed, (track) => {
    for (const el of track.detach()) input.handlers.onRemoteGone(el);
  });
  room.on(lk.RoomEvent.ParticipantConnected, () => input.handlers.onPeerPresence(true));
  room.on(lk.RoomEvent.ParticipantDisconnected, () => input.handlers.onPeerPresence(room.remoteParticipants.size > 0));
  room.on(lk.RoomEvent.Disconnected, () => {
    void end(ended ? undefined : "The call was disconnected.");
  });

  // Encryption first, before any connection: if it cannot be switched on, nothing is sent anywhere.
  try {
    await keyProvider.setKey(input.mediaKey);
    await room.setE2EEEnabled(true);
    await workerReady;
    if (ended) throw new Error("encryption failed while switching it on");
  } catch {
    await end();
    throw new CallRefused("End-to-end encryption could not be switched on, so we did not start the call.");
  }
  // (Room.isE2EEEnabled follows the worker's report after publishing; the participant's own flag is set now.)
  if (!room.localParticipant.isE2EEEnabled) {
    await end();
    throw new CallRefused("End-to-end encryption could not be switched on, so we did not start the call.");
  }
  try {
    await room.connect(input.url, input.token);
  } catch {
    await end();
    throw new CallRefused("We could not connect to the video service. Please check your connection and try again.");
  }
  started = true;
  input.handlers.onPeerPresence(room.remoteParticipants.size > 0);
  await room.localParticipant.setMicrophoneEnabled(input.devices.microphoneOn);
  await room.localParticipant.setCameraEnabled(input.devices.cameraOn);
  return {
    setMicrophone: async (on) => void (await room.localParticipant.setMicrophoneEnabled(on)),
    setCamera: async (on) => void (await room.localParticipant.setCameraEnabled(on)),
    leave: () => end(),
  };
}
