/** A placeholder while something loads; hidden from assistive technology (announce loading in words instead). */
export function Skeleton({ lines = 3, label }: { lines?: number; label?: string }) {
  return (
    <div className="stack skeleton-group" aria-busy="true">
      {label ? <p className="visually-hidden">{label}</p> : null}
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className={`skeleton skeleton-${(i % 3) + 1}`} aria-hidden="true" />
      ))}
    </div>
  );
}
