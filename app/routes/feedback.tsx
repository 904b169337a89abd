// The general improvement survey (P4): open to everyone, every answer optional, stored with no link to the person
// (no account, no IP, the day only). The per-IP ceiling on every form post applies.
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, Notice, Submit } from "~/components/forms";
import { SurveyFields } from "~/components/SurveyFields";
import { submitSurvey, SURVEYS, deps } from "~/core.server";
import { surveyAnswers } from "~/utils/feedback.server";
import { formAction, formHeaders } from "~/utils/forms.server";

export const headers = formHeaders;
export const meta: MetaFunction = () => [{ title: "Help us improve — Mind Namo" }];

export function loader() {
  return { survey: SURVEYS.GENERAL };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  return formAction(async () => {
    const r = await submitSurvey(deps(context).db, "GENERAL", surveyAnswers(form));
    return {
      message: r.stored
        ? "Thank you — your answers help us improve Mind Namo."
        : "You did not answer any question, so nothing was sent.",
    };
  });
}

export default function Feedback() {
  const { survey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData && "error" in actionData ? actionData : undefined;
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">{survey.title}</h1>
      <p>
        Every question is optional. Your answers are stored without your name, account or address, so nobody at Mind
        Namo can tell who wrote them; our team sees only totals, averages and the comments themselves.
      </p>
      {actionData && "message" in actionData ? <Notice>{actionData.message}</Notice> : null}
      <FormAlert actionData={error?.field ? undefined : error} />
      <Form method="post" className="stack">
        <SurveyFields questions={survey.questions} invalidField={error?.field} error={error?.error} />
        <Submit busy="Sending…">Send answers</Submit>
      </Form>
    </section>
  );
}
