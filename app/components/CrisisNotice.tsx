/** Shown on booking pages: Mind Namo is not an emergency service. */
export function CrisisNotice() {
  return (
    <aside className="crisis" aria-labelledby="crisis-title">
      <h2 id="crisis-title">In crisis or need help right now?</h2>
      <p>
        Mind Namo is not an emergency service. If you are in danger or thinking about harming yourself, please reach out
        now:
      </p>
      <ul>
        <li>
          India: Tele-MANAS, free and 24/7 — call <a href="tel:14416">14416</a> or{" "}
          <a href="tel:18008914416">1-800-891-4416</a>
        </li>
        <li>
          India: KIRAN mental health helpline — <a href="tel:18005990019">1800-599-0019</a>
        </li>
        <li>
          Emergency services in India: <a href="tel:112">112</a>
        </li>
      </ul>
    </aside>
  );
}
