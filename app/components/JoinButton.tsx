// "Join" for a confirmed session: a link to its live room from 10 minutes before the start until the end, a
// disabled button (with the reason) otherwise. It re-checks the clock every 15 seconds, so a page left open
// enables itself when the room opens. The server decides again on the room page and for every token.
import { useEffect, useState } from "react";
import { Button } from "./ui/Button";

export function JoinButton({
  bookingId,
  opensAt,
  closesAt,
  initiallyOpen,
}: {
  bookingId: string;
  opensAt: string;
  closesAt: string;
  initiallyOpen: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  useEffect(() => {
    const check = () => {
      const now = Date.now();
      setOpen(now >= Date.parse(opensAt) && now < Date.parse(closesAt));
    };
    check();
    const id = window.setInterval(check, 15_000);
    return () => window.clearInterval(id);
  }, [opensAt, closesAt]);
  if (open) {
    return (
      <Button to={`/sessions/${bookingId}/room`} data-testid="join">
        Join the session
      </Button>
    );
  }
  const hintId = `join-hint-${bookingId}`;
  return (
    <span className="stack">
      <Button type="button" disabled aria-describedby={hintId} data-testid="join" data-booking={bookingId}>
        Join the session
      </Button>
      <span id={hintId} className="hint">
        The room opens 10 minutes before the start.
      </span>
    </span>
  );
}
