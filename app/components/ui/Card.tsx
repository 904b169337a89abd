import type { HTMLAttributes, ReactNode } from "react";

/** A surface for one thing (an expert, a session, a request). `as` keeps the right element for the content. */
export function Card({
  as: Tag = "div",
  className,
  children,
  ...rest
}: { as?: "div" | "article" | "section" | "li" | "aside"; children: ReactNode } & HTMLAttributes<HTMLElement>) {
  return (
    <Tag className={["card", className].filter(Boolean).join(" ")} {...rest}>
      {children}
    </Tag>
  );
}
