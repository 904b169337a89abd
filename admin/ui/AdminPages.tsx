import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote, Loading } from "./Console.tsx";
import { fmt, useTRPC } from "./trpc.ts";

const ROLES = ["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"] as const;
type RoleName = (typeof ROLES)[number];

export function AuditPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ actorId: "", subjectUserId: "", action: "", purpose: "" });
  const [query, setQuery] = useState(form);
  const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== "")) as Partial<typeof query>;
  const events = useQuery(trpc.audit.search.queryOptions({ ...clean, limit: 100 }));
  return (
    <section className="stack" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(form);
        }}
      >
        {(Object.keys(form) as (keyof typeof form)[]).map((k) => (
          <label key={k}>
            {k} <input value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
          </label>
        ))}
        <button className="button" type="submit">
          Search
        </button>
      </form>
      {events.isPending ? <Loading /> : events.isError ? <ErrorNote error={events.error} /> : null}
      {events.data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Whose data</th>
                <th scope="col">Target</th>
                <th scope="col">Purpose</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {events.data.events.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td>{fmt(e.at)}</td>
                  <td>
                    {e.actorRole ?? "—"} {e.actorId ?? ""}
                  </td>
                  <td>{e.action}</td>
                  <td>{e.subjectUserId ?? "—"}</td>
                  <td>{e.target}</td>
                  <td>{e.purpose ?? "—"}</td>
                  <td>{e.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function StaffPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const staff = useQuery(trpc.staff.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.staff.list.queryKey() });
  const changeRole = useMutation(trpc.staff.changeRole.mutationOptions({ onSuccess: refresh }));
  const deactivate = useMutation(trpc.staff.deactivate.mutationOptions({ onSuccess: refresh }));
  const [email, setEmail] = useState("");
  const [lookup, setLookup] = useState("");
  const found = useQuery({ ...trpc.staff.findByEmail.queryOptions({ email: lookup }), enabled: lookup !== "" });
  const invite = useMutation(trpc.staff.invite.mutationOptions({ onSuccess: refresh }));
  const [invitee, setInvitee] = useState({ email: "", name: "", role: "SUPPORT" as "SUPPORT" | "DPO" | "ADMIN" });
  const error = changeRole.error ?? deactivate.error ?? found.error ?? invite.error;
  return (
    <section className="stack" aria-labelledby="staff-title">
      <h1 id="staff-title">Staff</h1>
      <p>Changing a role or deactivating an account signs that person out everywhere.</p>
      {error ? <ErrorNote error={error} /> : null}
      {staff.isPending ? <Loading /> : staff.isError ? <ErrorNote error={staff.error} /> : null}
      {staff.data ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">TOTP</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {staff.data.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${s.name}`}
                    value={s.role}
                    onChange={(e) => changeRole.mutate({ userId: s.id, role: e.target.value as RoleName })}
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{s.status}</td>
                <td>{s.totpEnrolled ? "set up" : "not yet"}</td>
                <td>
                  {s.status === "ACTIVE" ? (
                    <button
                      type="button"
                      className="button secondary"
                      onClick={() => deactivate.mutate({ userId: s.id })}
                    >
                      Deactivate
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>Invite by email</h2>
      <p>
        A new address gets an account with the role and an email to choose a password; an existing account gets the
        role.
      </p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate(invitee);
        }}
      >
        <label>
          Email{" "}
          <input
            type="email"
            required
            value={invitee.email}
            onChange={(e) => setInvitee({ ...invitee, email: e.target.value })}
          />
        </label>
        <label>
          Name{" "}
          <input required value={invitee.name} onChange={(e) => setInvitee({ ...invitee, name: e.target.value })} />
        </label>
        <label>
          Role{" "}
          <select
            value={invitee.role}
            onChange={(e) => setInvitee({ ...invitee, role: e.target.value as typeof invitee.role })}
          >
            <option value="SUPPORT">SUPPORT</option>
            <option value="DPO">DPO</option>
            <option value="ADMIN">ADMIN</option>
          </select>
        </label>
        <button className="button" type="submit" disabled={invite.isPending}>
          {invite.isPending ? "Inviting…" : "Send invitation"}
        </button>
      </form>
      {invite.data ? (
        <p role="status">
          {invite.data.created ? "Invitation sent." : "That account now has the role; they were told by email."}
        </p>
      ) : null}
      <h2>Give an existing account a staff role</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setLookup(email.trim().toLowerCase());
        }}
      >
        <label>
          Email <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>{" "}
        <button className="button" type="submit">
          Find
        </button>
      </form>
      {lookup && found.data === null ? <p>No account with that email.</p> : null}
      {found.data ? (
        <p>
          {found.data.name} ({found.data.role}){" "}
          {(["SUPPORT", "DPO", "ADMIN"] as const).map((r) => (
            <button
              key={r}
              type="button"
              className="button secondary"
              onClick={() => changeRole.mutate({ userId: found.data!.id, role: r })}
            >
              Make {r}
            </button>
          ))}
        </p>
      ) : null}
    </section>
  );
}

export function CategoriesPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.categories.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.categories.list.queryKey() });
  const create = useMutation(trpc.categories.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.categories.delete.mutationOptions({ onSuccess: refresh }));
  const [draft, setDraft] = useState({ slug: "", name: "", description: "" });
  return (
    <section className="stack" aria-labelledby="cat-title">
      <h1 id="cat-title">Categories</h1>
      {create.error ? <ErrorNote error={create.error} /> : remove.error ? <ErrorNote error={remove.error} /> : null}
      {list.isPending ? <Loading /> : list.isError ? <ErrorNote error={list.error} /> : null}
      <ul>
        {list.data?.map((c) => (
          <li key={c.id}>
            {c.name} <code>{c.slug}</code>{" "}
            <button type="button" className="link-button" onClick={() => remove.mutate({ id: c.id })}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ ...draft, sortOrder: 0 });
        }}
      >
        {(Object.keys(draft) as (keyof typeof draft)[]).map((k) => (
          <label key={k}>
            {k} <input value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
          </label>
        ))}
        <button className="button" type="submit">
          Add category
        </button>
      </form>
    </section>
  );
}

export function ExpertsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.experts.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.experts.list.queryKey() });
  const publish = useMutation(trpc.experts.setPublished.mutationOptions({ onSuccess: refresh }));
  const onboard = useMutation(trpc.experts.onboard.mutationOptions({ onSuccess: refresh }));
  const [draft, setDraft] = useState({ email: "", slug: "", headline: "" });
  return (
    <section className="stack" aria-labelledby="exp-title">
      <h1 id="exp-title">Experts</h1>
      {publish.error ? <ErrorNote error={publish.error} /> : onboard.error ? <ErrorNote error={onboard.error} /> : null}
      {list.isPending ? <Loading /> : list.isError ? <ErrorNote error={list.error} /> : null}
      <ul>
        {list.data?.map((x) => (
          <li key={x.id}>
            {x.user.name} — {x.headline} ({x.published ? "published" : "not published"}){" "}
            <button
              type="button"
              className="link-button"
              onClick={() => publish.mutate({ expertId: x.id, published: !x.published })}
            >
              {x.published ? "Unpublish" : "Publish"}
            </button>
          </li>
        ))}
      </ul>
      <h2>Turn a user into an expert</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          onboard.mutate({ ...draft, bio: "", timezone: "UTC", languages: ["en"] });
        }}
      >
        {(Object.keys(draft) as (keyof typeof draft)[]).map((k) => (
          <label key={k}>
            {k} <input value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
          </label>
        ))}
        <button className="button" type="submit">
          Onboard
        </button>
      </form>
    </section>
  );
}
