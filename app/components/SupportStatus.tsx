import { Badge } from "~/components/ui/Badge";
import { statusLabels, statusTones } from "~/utils/support-labels";

/** A help request's status as its person sees it: in words, as a badge; an unknown value reads as just received. */
export function SupportStatus({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? "neutral"}>{statusLabels[status] ?? "Received"}</Badge>;
}
