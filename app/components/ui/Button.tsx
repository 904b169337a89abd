import { Link } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";

export type ButtonVariant = "primary" | "secondary" | "quiet" | "danger";

export function buttonClass(variant: ButtonVariant = "primary", opts: { small?: boolean; block?: boolean } = {}) {
  return ["button", variant === "primary" ? null : variant, opts.small ? "small" : null, opts.block ? "block" : null]
    .filter(Boolean)
    .join(" ");
}

/** A button; `to` makes it a link that looks like one (navigation stays a link for assistive technology). */
export function Button({
  variant = "primary",
  small,
  block,
  to,
  children,
  className,
  ...rest
}: {
  variant?: ButtonVariant;
  small?: boolean;
  block?: boolean;
  to?: string;
  children: ReactNode;
} & ButtonHTMLAttributes<HTMLButtonElement> & { "data-track"?: string }) {
  const cls = [buttonClass(variant, { small, block }), className].filter(Boolean).join(" ");
  if (to) {
    return (
      <Link to={to} className={cls} data-track={rest["data-track"]}>
        {children}
      </Link>
    );
  }
  return (
    <button type="button" className={cls} {...rest}>
      {children}
    </button>
  );
}
