import { Link } from "~/components/Link";
import type { ButtonHTMLAttributes, ReactNode } from "react";

export type ButtonVariant = "primary" | "secondary" | "quiet" | "danger";

export function buttonClass(variant: ButtonVariant = "primary", opts: { small?: boolean; block?: boolean } = {}) {
  return ["button", variant === "primary" ? null : variant, opts.small ? "small" : null, opts.block ? "block" : null]
    .filter(Boolean)
    .join(" ");
}

type LinkOnly = {
  /** An app route: the button is a client-side link (navigation stays a link for assistive technology). */
  to?: string;
  /** A file or resource answered by a resource route (a full request, not a client-side navigation). */
  href?: string;
  /** With `href`: the name the browser saves the file under. */
  download?: string;
  "data-track"?: string;
  "data-testid"?: string;
};

/** A button, or a link that looks like one when `to` or `href` is given. */
export function Button({
  variant = "primary",
  small,
  block,
  to,
  href,
  download,
  children,
  className,
  ...rest
}: {
  variant?: ButtonVariant;
  small?: boolean;
  block?: boolean;
  children: ReactNode;
} & LinkOnly &
  ButtonHTMLAttributes<HTMLButtonElement>) {
  const cls = [buttonClass(variant, { small, block }), className].filter(Boolean).join(" ");
  const data = { "data-track": rest["data-track"], "data-testid": rest["data-testid"] };
  if (to) {
    return (
      <Link to={to} className={cls} {...data}>
        {children}
      </Link>
    );
  }
  if (href) {
    return (
      <a href={href} className={cls} download={download} {...data}>
        {children}
      </a>
    );
  }
  return (
    <button type="button" className={cls} {...rest}>
      {children}
    </button>
  );
}
