// The site's component set (docs/design.md). Forms' Field/FormAlert/Submit live in ../forms.tsx and use the same
// classes.
export { Avatar, toneOf } from "./Avatar";
export { Badge, type BadgeTone } from "./Badge";
export { Button, buttonClass, type ButtonVariant } from "./Button";
export { Card, cardClass } from "./Card";
export { Dialog } from "./Dialog";
export { EmptyState } from "./EmptyState";
export { Notice, type NoticeTone } from "./Notice";
export { Skeleton } from "./Skeleton";
export { Tabs } from "./Tabs";
