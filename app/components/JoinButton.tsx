// "Join" for a confirmed session: a link to its live room from 10 minutes before the start until the end, a
// disabled button (with when the room opens) before, and a plain line once the session is over. It re-checks the
// clock every 15 seconds, so a page left open follows along. The server decides again on the room page and for
// every token.
import { useEffect, useState } from "react";
import { Button } from "./ui/Button";

export interface JoinRoom {
  opensAt: string;
  closesAt: string;
  /** When the room opens, as a clock time in the viewer's zone ("10:50"), written by the server. */
  opensAtText: string;
  open: boolean;
}

type Phase = "before" | "open" | "ended";

export function JoinButton({ bookingId, room }: { bookingId: string; room: JoinRoom }) {
  const [phase, setPhase] = useState<Phase>(room.open ? "open" : "before");
  useEffect(() => {
    const check = () => {
      const now = Date.now();
      setPhase(now < Date.parse(room.opensAt) ? "before" : now < Date.parse(room.closesAt) ? "open" : "ended");
    };
    check();
    const id = window.setInterval(check, 15_000);
    return () => window.clearInterval(id);
  }, [room.opensAt, room.closesAt]);
  if (phase === "open") {
    return (
      <Button to={`/sessions/${bookingId}/room`} data-testid="join">
        Join the session
      </Button>
    );
  }
  if (phase === "ended") {
    return <p className="hint">This session’s time is over.</p>;
  }
  const hintId = `join-hint-${bookingId}`;
  return (
    <span className="stack">
      <Button
        type="button"
        variant="secondary"
        disabled
        aria-describedby={hintId}
        data-testid="join"
        data-booking={bookingId}
      >
        Join the session
      </Button>
      <span id={hintId} className="hint">
        The room opens at {room.opensAtText}, 10 minutes before the start.
      </span>
    </span>
  );
}
