/**
 * A person's face: their photo when they uploaded one (WebP, two sizes for sharp screens), else a monogram on one
 * of the brand tones, chosen from the name so the same person always gets the same tone. Never a blank box.
 * Decorative next to the name (alt=""), since the name is always written beside it.
 */
export function Avatar({
  name,
  initials,
  src,
  size = "md",
}: {
  name: string;
  initials: string;
  /** The photo URL without size; `?s=` selects the 1× or 2× rendition. */
  src?: string | null;
  size?: "sm" | "md" | "lg";
}) {
  const px = size === "sm" ? 56 : size === "lg" ? 128 : 96;
  const cls = size === "md" ? "avatar" : `avatar avatar-${size}`;
  if (src) {
    const sep = src.includes("?") ? "&" : "?";
    return (
      <img
        className={cls}
        src={`${src}${sep}s=256`}
        srcSet={`${src}${sep}s=256 1x, ${src}${sep}s=512 2x`}
        alt=""
        width={px}
        height={px}
        loading="lazy"
        decoding="async"
      />
    );
  }
  return (
    <svg className={`${cls} avatar-monogram`} viewBox="0 0 96 96" width={px} height={px} aria-hidden="true">
      <circle cx="48" cy="48" r="48" className={`tone-${toneOf(name)}`} />
      <circle cx="48" cy="48" r="44" className="avatar-ring" />
      <text x="48" y="49" textAnchor="middle" dominantBaseline="central" fontSize={initials.length > 1 ? 34 : 40}>
        {initials}
      </text>
    </svg>
  );
}

/** 1..6, stable for a name (a small string hash). */
export function toneOf(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return (h % 6) + 1;
}
