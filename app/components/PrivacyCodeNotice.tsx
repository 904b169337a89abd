import { Link } from "~/components/Link";
import { Notice } from "./forms";

/**
 * What a person is told after a message that is also a privacy request: it waits for the code we email to confirm
 * it comes from them. When the mail limit held the code back, the request is still recorded and the page says
 * where to ask for the code later. A visitor gave an address in the form; an account holder's is on file.
 */
export function PrivacyCodeNotice({
  requestId,
  codeSent,
  by,
}: {
  requestId: string | null;
  codeSent: boolean;
  by: "visitor" | "account";
}) {
  const address = by === "visitor" ? "the address you gave" : "your address";
  const opening = by === "visitor" ? "We received your privacy request" : "This is also a privacy request";
  const recorded =
    by === "visitor"
      ? "We received your privacy request and recorded it"
      : "This is also a privacy request, and it is recorded";
  if (codeSent) {
    return (
      <Notice>
        {opening}. To make sure it comes from you, we emailed a code to {address}: open the link in that email and enter
        the code. Our Data Protection Officer takes it up once it is confirmed, and answers within one month of that.
      </Notice>
    );
  }
  return (
    <Notice>
      {recorded}. We could not email you the code that confirms it just now, because several emails went to {address} or
      came from your network in a short time. In a little while,{" "}
      {requestId ? <Link to={`/privacy/confirm?request=${requestId}`}>ask for the code here</Link> : "ask for it again"}
      ; our Data Protection Officer takes the request up once it is confirmed.
    </Notice>
  );
}
