import type { HTMLAttributes, ReactNode } from "react";

/** The card surface's class, for an element Card cannot be (a whole-card link, a form). */
export function cardClass(extra?: string) {
  return extra ? `card ${extra}` : "card";
}

/** A surface for one thing (an expert, a session, a request). `as` keeps the right element for the content. */
export function Card({
  as: Tag = "div",
  className,
  children,
  ...rest
}: { as?: "div" | "article" | "section" | "li" | "aside"; children: ReactNode } & HTMLAttributes<HTMLElement>) {
  return (
    <Tag className={cardClass(className)} {...rest}>
      {children}
    </Tag>
  );
}
