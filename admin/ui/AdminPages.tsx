import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  ConfirmDialog,
  DataTable,
  Dialog,
  ErrorNote,
  FieldError,
  FilterSelect,
  FilterBar,
  FilteredTable,
  QueryState,
  SearchField,
  useToast,
} from "./kit.tsx";
import {
  AUDIT_ACTION_CHOICES,
  ROLE_LABEL,
  USER_STATUS_LABEL,
  auditActionLabel,
  auditPurposeLabel,
  labelOf,
  shortRef,
} from "../shared/labels.ts";
import { STAFF_ROLE_NAMES } from "../shared/permissions.ts";
import { errorInfo, fmt, useTRPC } from "./trpc.ts";

const ROLES = ["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"] as const;
type RoleName = (typeof ROLES)[number];

const AUDIT_FILTERS = [
  { key: "actorEmail", label: "Staff member (email)", type: "email" },
  { key: "subjectEmail", label: "Whose data (email)", type: "email" },
  { key: "purpose", label: "Purpose (ticket or request id)", type: "text" },
] as const;

export function AuditPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ action: "", actorEmail: "", subjectEmail: "", purpose: "" });
  const [query, setQuery] = useState(form);
  const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== "")) as Partial<typeof query>;
  const events = useQuery(trpc.audit.search.queryOptions({ ...clean, limit: 100 }));
  return (
    <section className="c-stack" aria-labelledby="audit-title">
      <header className="c-pagehead">
        <h1 id="audit-title">Audit log</h1>
        <p className="c-muted">
          Every staff read or change of personal data, and every refused access. Append-only; your searches are recorded
          too.
        </p>
      </header>
      <form
        className="c-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(form);
        }}
      >
        <div className="c-field">
          <label htmlFor="audit-action">What</label>
          <select
            id="audit-action"
            data-search
            value={form.action}
            onChange={(e) => setForm({ ...form, action: e.target.value })}
          >
            <option value="">Any action</option>
            {AUDIT_ACTION_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {AUDIT_FILTERS.map((f) => (
          <div className="c-field" key={f.key}>
            <label htmlFor={`audit-${f.key}`}>{f.label}</label>
            <input
              id={`audit-${f.key}`}
              type={f.type}
              value={form[f.key]}
              onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
            />
          </div>
        ))}
        <button className="c-button" type="submit">
          Search
        </button>
      </form>
      <QueryState query={events} empty="No audit events match." isEmpty={(d) => d.events.length === 0}>
        {(d) => (
          <DataTable
            rows={d.events}
            rowKey={(e) => e.id}
            rowTestId="audit-row"
            columns={[
              { header: "When", cell: (e) => fmt(e.at) },
              {
                header: "Who",
                cell: (e) => (
                  <>
                    {e.actorName ?? (e.actorId ? `Account ${shortRef(e.actorId)}` : "System")}
                    <br />
                    <span className="c-muted">{e.actorRole ? labelOf(ROLE_LABEL, e.actorRole) : ""}</span>
                  </>
                ),
              },
              { header: "What", cell: (e) => auditActionLabel(e.action) },
              {
                header: "Whose data",
                cell: (e) => e.subjectName ?? (e.subjectUserId ? `Account ${shortRef(e.subjectUserId)}` : "—"),
              },
              { header: "Purpose", cell: (e) => auditPurposeLabel(e.purpose, e.target) },
              { header: "Network address", cell: (e) => e.ip ?? "—" },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}

type StaffRow = { id: string; name: string; role: RoleName; status: string };
type Pending = { kind: "role"; person: StaffRow; role: RoleName } | { kind: "deactivate"; person: StaffRow } | null;

export function StaffPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const staff = useQuery(trpc.staff.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.staff.list.queryKey() });
  const [pending, setPending] = useState<Pending>(null);
  const [picked, setPicked] = useState<Record<string, RoleName>>({});
  const [staffSearch, setStaffSearch] = useState("");
  const [roleShown, setRoleShown] = useState<RoleName | "">("");
  const undo = useMutation(
    trpc.staff.undo.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        toast(r.kind === "role" ? "Role change undone." : "Account reactivated.");
      },
      onError: (e) => toast(errorInfo(e).message),
    }),
  );
  const close = () => {
    setPending(null);
    changeRole.reset();
    deactivate.reset();
  };
  const changeRole = useMutation(
    trpc.staff.changeRole.mutationOptions({
      onSuccess: (r) => {
        const who = pending?.person.name ?? "The person";
        close();
        void refresh();
        toast(`${who} is now ${labelOf(ROLE_LABEL, r.role)} and was signed out everywhere.`, () =>
          undo.mutate({ undo: r.undo }),
        );
      },
    }),
  );
  const deactivate = useMutation(
    trpc.staff.deactivate.mutationOptions({
      onSuccess: (r) => {
        const who = pending?.person.name ?? "The account";
        close();
        void refresh();
        toast(`${who} was deactivated and signed out everywhere.`, () => undo.mutate({ undo: r.undo }));
      },
    }),
  );
  const [email, setEmail] = useState("");
  const [lookup, setLookup] = useState("");
  const found = useQuery({ ...trpc.staff.findByEmail.queryOptions({ email: lookup }), enabled: lookup !== "" });
  const [invitee, setInvitee] = useState({ email: "", name: "", role: "SUPPORT" as "SUPPORT" | "DPO" | "ADMIN" });
  const [confirmingInvite, setConfirmingInvite] = useState(false);
  const invite = useMutation(
    trpc.staff.invite.mutationOptions({
      onSuccess: (r) => {
        setConfirmingInvite(false);
        void refresh();
        toast(
          r.created
            ? `Invitation sent to ${invitee.email}.`
            : `That account is now ${labelOf(ROLE_LABEL, invitee.role)}, was signed out everywhere and told by email.`,
        );
        setInvitee({ email: "", name: "", role: "SUPPORT" });
      },
      onError: (e) => {
        // A bad email or name is fixed in the form, under its field; a wrong code is retried in the dialog.
        const { fields } = errorInfo(e);
        if (fields.email || fields.name) setConfirmingInvite(false);
      },
    }),
  );
  // The dialog names what the invite does, which depends on whether the address already has an account.
  const inviteTarget = useQuery({
    ...trpc.staff.findByEmail.queryOptions({ email: invitee.email.trim().toLowerCase() }),
    enabled: confirmingInvite,
  });
  // Field errors (a bad email or name) belong under the form's fields; a code error stays in the dialog.
  const inviteErr = invite.error && !confirmingInvite ? errorInfo(invite.error) : null;
  const roleGoesStaffless = (r: RoleName) => r === "USER" || r === "EXPERT";
  return (
    <section className="c-stack" aria-labelledby="staff-title">
      <header className="c-pagehead">
        <h1 id="staff-title">Staff</h1>
        <p className="c-muted">
          Changing a role or deactivating an account signs that person out everywhere and needs a code from your
          authenticator app.
        </p>
      </header>
      <QueryState query={staff} empty="No staff accounts yet.">
        {(rows) => {
          const needle = staffSearch.trim().toLowerCase();
          const shown = rows.filter(
            (s) =>
              (!roleShown || s.role === roleShown) &&
              (!needle || s.name.toLowerCase().includes(needle) || s.email.toLowerCase().includes(needle)),
          );
          const byRole = STAFF_ROLE_NAMES.map((r) => [r, rows.filter((s) => s.role === r).length] as const).filter(
            ([, n]) => n > 0,
          );
          return (
            <>
              <p className="c-muted" data-testid="staff-count">
                {rows.length === 1 ? "1 person" : `${rows.length} people`}:{" "}
                {byRole.map(([r, n]) => `${n} ${labelOf(ROLE_LABEL, r).toLowerCase()}${n === 1 ? "" : "s"}`).join(", ")}
              </p>
              <FilterBar label="Find a staff member">
                <SearchField
                  id="staff-search"
                  placeholder="Name or email"
                  value={staffSearch}
                  onChange={setStaffSearch}
                />
                <FilterSelect
                  id="staff-role"
                  label="Show"
                  value={roleShown}
                  any="All roles"
                  options={STAFF_ROLE_NAMES.map((r) => [r, ROLE_LABEL[r]] as const)}
                  onChange={(v) => setRoleShown(v as RoleName | "")}
                />
              </FilterBar>
              <FilteredTable
                rows={shown}
                total={rows.length}
                noMatch={{
                  message: "No one matches these filters.",
                  clearLabel: "Show everyone",
                  onClear: () => {
                    setStaffSearch("");
                    setRoleShown("");
                  },
                }}
                rowKey={(s) => s.id}
                rowTestId="staff-row"
                columns={[
                  {
                    header: "Person",
                    cell: (s) => (
                      <>
                        <span className="c-person-name">{s.name}</span>
                        <span className="c-muted c-small c-person-email">{s.email}</span>
                      </>
                    ),
                  },
                  {
                    header: "Status",
                    cell: (s) => (
                      <>
                        <span className={s.status === "ACTIVE" ? "c-tag c-tag-ok" : "c-tag c-tag-danger"}>
                          {labelOf(USER_STATUS_LABEL, s.status)}
                        </span>
                        <span className="c-muted c-small c-person-email c-nowrap">
                          {s.totpEnrolled ? "Authenticator set up" : "No authenticator yet"}
                        </span>
                      </>
                    ),
                  },
                  {
                    // The select shows the current role; changing it asks for confirmation.
                    header: "Role",
                    cell: (s) => {
                      const choice = picked[s.id] ?? s.role;
                      return (
                        <>
                          <form
                            className="c-inline c-nowrap"
                            onSubmit={(e) => {
                              e.preventDefault();
                              if (choice !== s.role) setPending({ kind: "role", person: s, role: choice });
                            }}
                          >
                            <select
                              aria-label={`New role for ${s.name}`}
                              value={choice}
                              onChange={(e) => setPicked({ ...picked, [s.id]: e.target.value as RoleName })}
                            >
                              {ROLES.map((r) => (
                                <option key={r} value={r}>
                                  {ROLE_LABEL[r]}
                                </option>
                              ))}
                            </select>
                            <button type="submit" className="c-button c-secondary" disabled={choice === s.role}>
                              Change…
                            </button>
                          </form>
                          {/* Picking a role saves nothing: say what stays in force until it is confirmed. */}
                          {choice !== s.role ? (
                            <span className="c-muted c-small c-person-email" data-testid="staff-current-role">
                              Still {labelOf(ROLE_LABEL, s.role)} until you confirm
                            </span>
                          ) : null}
                        </>
                      );
                    },
                  },
                  {
                    header: <span className="c-visually-hidden">Deactivate</span>,
                    cell: (s) =>
                      s.status === "ACTIVE" ? (
                        <button
                          type="button"
                          className="c-button c-secondary"
                          onClick={() => setPending({ kind: "deactivate", person: s })}
                        >
                          Deactivate…
                        </button>
                      ) : null,
                  },
                ]}
              />
            </>
          );
        }}
      </QueryState>
      <ConfirmDialog
        open={pending?.kind === "role"}
        title={pending?.kind === "role" ? `Change ${pending.person.name}'s role?` : ""}
        consequence={
          pending?.kind === "role" ? (
            <p>
              {pending.person.name} goes from <strong>{labelOf(ROLE_LABEL, pending.person.role)}</strong> to{" "}
              <strong>{labelOf(ROLE_LABEL, pending.role)}</strong> and is signed out on every device.
              {roleGoesStaffless(pending.role)
                ? " They lose all access to the back-office and leave this staff list."
                : " Their access changes to what the new role allows."}
            </p>
          ) : null
        }
        confirmLabel="Change role"
        needsCode
        busy={changeRole.isPending}
        error={changeRole.error}
        onConfirm={({ code }) =>
          pending?.kind === "role" && changeRole.mutate({ userId: pending.person.id, role: pending.role, code })
        }
        onCancel={close}
      />
      <ConfirmDialog
        open={pending?.kind === "deactivate"}
        title={pending ? `Deactivate ${pending.person.name}?` : ""}
        consequence={
          pending ? (
            <p>
              {pending.person.name} is signed out on every device and cannot sign in until an administrator reactivates
              the account.
            </p>
          ) : null
        }
        confirmLabel="Deactivate"
        needsCode
        busy={deactivate.isPending}
        error={deactivate.error}
        onConfirm={({ code }) =>
          pending?.kind === "deactivate" && deactivate.mutate({ userId: pending.person.id, code })
        }
        onCancel={close}
      />
      <ConfirmDialog
        open={confirmingInvite}
        title={`Invite ${invitee.email.trim()} as ${labelOf(ROLE_LABEL, invitee.role)}?`}
        consequence={
          inviteTarget.isPending ? (
            <p>Checking whether this address already has an account…</p>
          ) : inviteTarget.data ? (
            <p>
              {inviteTarget.data.name} already has an account: it goes from{" "}
              <strong>{labelOf(ROLE_LABEL, inviteTarget.data.role)}</strong> to{" "}
              <strong>{labelOf(ROLE_LABEL, invitee.role)}</strong> at once, is signed out on every device and is told by
              email.
            </p>
          ) : (
            <p>
              A new account with the <strong>{labelOf(ROLE_LABEL, invitee.role)}</strong> role is made; the person gets
              an email to choose a password and sets up a second factor on first sign-in.
            </p>
          )
        }
        confirmLabel="Send invitation"
        needsCode
        busy={invite.isPending}
        error={invite.error}
        onConfirm={({ code }) => invite.mutate({ ...invitee, code })}
        onCancel={() => setConfirmingInvite(false)}
      />
      <div className="c-grid">
        <section className="c-card c-stack" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite by email</h2>
          <p className="c-muted">
            A new address gets an account with the role and an email to choose a password; an existing account gets the
            role.
          </p>
          <form
            className="c-stack"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              invite.reset();
              setConfirmingInvite(true);
            }}
          >
            <div className="c-field">
              <label htmlFor="inv-email">Email</label>
              <input
                id="inv-email"
                type="email"
                value={invitee.email}
                aria-invalid={inviteErr?.fields.email ? true : undefined}
                aria-describedby="inv-email-err"
                onChange={(e) => setInvitee({ ...invitee, email: e.target.value })}
              />
              <FieldError id="inv-email-err" message={inviteErr?.fields.email} />
            </div>
            <div className="c-field">
              <label htmlFor="inv-name">Name</label>
              <input
                id="inv-name"
                value={invitee.name}
                aria-invalid={inviteErr?.fields.name ? true : undefined}
                aria-describedby="inv-name-err"
                onChange={(e) => setInvitee({ ...invitee, name: e.target.value })}
              />
              <FieldError id="inv-name-err" message={inviteErr?.fields.name} />
            </div>
            <div className="c-field">
              <label htmlFor="inv-role">Role</label>
              <select
                id="inv-role"
                value={invitee.role}
                onChange={(e) => setInvitee({ ...invitee, role: e.target.value as typeof invitee.role })}
              >
                <option value="SUPPORT">{ROLE_LABEL.SUPPORT}</option>
                <option value="DPO">{ROLE_LABEL.DPO}</option>
                <option value="ADMIN">{ROLE_LABEL.ADMIN}</option>
              </select>
            </div>
            {inviteErr && Object.keys(inviteErr.fields).length === 0 ? <ErrorNote error={invite.error} /> : null}
            <div>
              <button className="c-button" type="submit" disabled={invite.isPending}>
                Send invitation…
              </button>
            </div>
          </form>
        </section>
        <section className="c-card c-stack" aria-labelledby="find-title">
          <h2 id="find-title">Give an existing account a staff role</h2>
          <form
            className="c-inline"
            onSubmit={(e) => {
              e.preventDefault();
              setLookup(email.trim().toLowerCase());
            }}
          >
            <label htmlFor="find-email">Email</label>
            <input id="find-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
            <button className="c-button c-secondary" type="submit">
              Find
            </button>
          </form>
          {lookup && found.data === null ? <p className="c-empty">No account with that email.</p> : null}
          {found.data ? (
            <div className="c-stack">
              <p>
                {found.data.name} · {labelOf(ROLE_LABEL, found.data.role)}
              </p>
              <div className="c-actions c-start">
                {(["SUPPORT", "DPO", "ADMIN"] as const)
                  .filter((r) => r !== found.data!.role)
                  .map((r) => (
                    <button
                      key={r}
                      type="button"
                      className="c-button c-secondary"
                      onClick={() =>
                        setPending({
                          kind: "role",
                          person: { id: found.data!.id, name: found.data!.name, role: found.data!.role, status: "" },
                          role: r,
                        })
                      }
                    >
                      Make {ROLE_LABEL[r]}…
                    </button>
                  ))}
              </div>
            </div>
          ) : null}
        </section>
      </div>
    </section>
  );
}

type CategoryDraft = { slug: string; name: string; description: string };
const CATEGORY_FIELDS: { key: keyof CategoryDraft; label: string; hint?: string }[] = [
  { key: "name", label: "Name" },
  { key: "slug", label: "Address name", hint: "Lower-case letters, digits and dashes; used in the topic's URL." },
  { key: "description", label: "Description" },
];

/** A topic's fields, in the add form (ids `cat-…`) and the edit dialog (`cat-edit-…`); `hints` replaces a hint. */
function CategoryFields({
  idPrefix,
  values,
  onChange,
  fieldErrors,
  hints = {},
}: {
  idPrefix: string;
  values: CategoryDraft;
  onChange: (values: CategoryDraft) => void;
  fieldErrors: Record<string, string> | undefined;
  hints?: Partial<Record<keyof CategoryDraft, string>>;
}) {
  return CATEGORY_FIELDS.map((f) => {
    const id = `${idPrefix}-${f.key}`;
    return (
      <div className="c-field" key={f.key}>
        <label htmlFor={id}>{f.label}</label>
        {f.hint ? (
          <p className="c-muted c-hint" id={`${id}-hint`}>
            {hints[f.key] ?? f.hint}
          </p>
        ) : null}
        <input
          id={id}
          value={values[f.key]}
          aria-invalid={fieldErrors?.[f.key] ? true : undefined}
          aria-describedby={[f.hint ? `${id}-hint` : "", `${id}-err`].join(" ").trim()}
          onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
        />
        <FieldError id={`${id}-err`} message={fieldErrors?.[f.key]} />
      </div>
    );
  });
}

export function CategoriesPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const list = useQuery(trpc.categories.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.categories.list.queryKey() });
  const empty: CategoryDraft = { slug: "", name: "", description: "" };
  const [draft, setDraft] = useState(empty);
  const create = useMutation(
    trpc.categories.create.mutationOptions({
      onSuccess: () => {
        void refresh();
        toast(`Category "${draft.name}" added.`);
        setDraft(empty);
      },
    }),
  );
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const remove = useMutation(
    trpc.categories.delete.mutationOptions({
      onSuccess: () => {
        void refresh();
        toast(`Category "${deleting?.name ?? ""}" deleted.`);
        setDeleting(null);
      },
    }),
  );
  // Editing keeps the row's sort order; the address name can change, which changes the topic's links.
  const [editing, setEditing] = useState<{ id: string; name: string; slug: string; sortOrder: number } | null>(null);
  const [edit, setEdit] = useState(empty);
  const update = useMutation(
    trpc.categories.update.mutationOptions({
      onSuccess: () => {
        void refresh();
        toast(`Category "${edit.name.trim()}" saved.`);
        setEditing(null);
      },
    }),
  );
  const editErr = update.error ? errorInfo(update.error) : null;
  const err = create.error ? errorInfo(create.error) : null;
  return (
    <section className="c-stack" aria-labelledby="cat-title">
      <h1 id="cat-title">Categories</h1>
      <QueryState query={list} empty="No categories yet. Add the first one below.">
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={(c) => c.id}
            rowTestId="category-row"
            columns={[
              { header: "Name", cell: (c) => <span className="c-person-name">{c.name}</span> },
              {
                header: "Address name",
                cell: (c) => (
                  <a href={`/experts?category=${c.slug}`} target="_blank" rel="noopener">
                    <code>{c.slug}</code>
                    <span className="c-visually-hidden"> (its experts on the site, opens in a new tab)</span>
                  </a>
                ),
              },
              { header: "Description", cell: (c) => <span className="c-small">{c.description}</span> },
              {
                header: <span className="c-visually-hidden">Actions</span>,
                className: "c-nowrap",
                cell: (c) => (
                  <span className="c-inline c-nowrap">
                    <button
                      type="button"
                      className="c-button c-secondary"
                      onClick={() => {
                        update.reset();
                        setEdit({ name: c.name, slug: c.slug, description: c.description });
                        setEditing({ id: c.id, name: c.name, slug: c.slug, sortOrder: c.sortOrder });
                      }}
                    >
                      Edit…
                    </button>
                    <button
                      type="button"
                      className="c-button c-secondary"
                      onClick={() => setDeleting({ id: c.id, name: c.name })}
                    >
                      Delete…
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <Dialog open={editing !== null} title={`Edit "${editing?.name ?? ""}"`} onClose={() => setEditing(null)}>
        <form
          className="c-stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (editing) update.mutate({ id: editing.id, data: { ...edit, sortOrder: editing.sortOrder } });
          }}
        >
          <CategoryFields
            idPrefix="cat-edit"
            values={edit}
            onChange={setEdit}
            fieldErrors={editErr?.fields}
            hints={
              editing && edit.slug.trim() !== editing.slug
                ? { slug: `Links to /experts?category=${editing.slug} will no longer find this topic.` }
                : {}
            }
          />
          {editErr && Object.keys(editErr.fields).length === 0 ? <ErrorNote error={update.error} /> : null}
          <div className="c-actions">
            <button type="button" className="c-button c-secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button className="c-button" type="submit" disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save changes"}
            </button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the category "${deleting?.name ?? ""}"?`}
        consequence={<p>It disappears from the site's topics and filters. This cannot be undone.</p>}
        confirmLabel="Delete category"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onCancel={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
      <form
        className="c-card c-stack"
        noValidate
        aria-labelledby="cat-add"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ ...draft, sortOrder: 0 });
        }}
      >
        <h2 id="cat-add">Add a category</h2>
        <CategoryFields idPrefix="cat" values={draft} onChange={setDraft} fieldErrors={err?.fields} />
        {err && Object.keys(err.fields).length === 0 ? <ErrorNote error={create.error} /> : null}
        <div>
          <button className="c-button" type="submit" disabled={create.isPending}>
            Add category
          </button>
        </div>
      </form>
    </section>
  );
}

export function ExpertsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const list = useQuery(trpc.experts.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.experts.list.queryKey() });
  // Unpublishing takes a bookable profile off the site, so it is confirmed first; both directions say what happened.
  const [unpublishing, setUnpublishing] = useState<{ id: string; name: string } | null>(null);
  const [search, setSearch] = useState("");
  const [show, setShow] = useState<"" | "published" | "unpublished">("");
  const publish = useMutation(
    trpc.experts.setPublished.mutationOptions({
      onSuccess: (_r, v) => {
        const name = list.data?.find((x) => x.id === v.expertId)?.user.name ?? "The expert";
        setUnpublishing(null);
        toast(
          v.published
            ? `${name} is published: people can find and book them.`
            : `${name} is no longer published: the profile is off the site and cannot be booked.`,
        );
        return refresh();
      },
    }),
  );
  const empty = { email: "", slug: "", headline: "" };
  const [draft, setDraft] = useState(empty);
  const [confirming, setConfirming] = useState(false);
  const onboard = useMutation(
    trpc.experts.onboard.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void refresh();
        toast(`${draft.email} is now an expert (not published yet) and was signed out everywhere.`);
        setDraft(empty);
      },
      onError: (e) => {
        // Field mistakes are fixed in the form; a wrong code is retried in the dialog.
        const { fields } = errorInfo(e);
        if (fields.email || fields.slug || fields.headline) setConfirming(false);
      },
    }),
  );
  const err = onboard.error && !confirming ? errorInfo(onboard.error) : null;
  const fields = [
    { key: "email", label: "Email of the account" },
    { key: "slug", label: "Profile address", hint: "e.g. amara-okafor, for /experts/amara-okafor" },
    { key: "headline", label: "Headline" },
  ] as const;
  return (
    <section className="c-stack" aria-labelledby="exp-title">
      <header className="c-pagehead">
        <h1 id="exp-title">Experts</h1>
      </header>
      {publish.error && !unpublishing ? <ErrorNote error={publish.error} /> : null}
      <ConfirmDialog
        open={unpublishing !== null}
        title={`Unpublish ${unpublishing?.name ?? "this expert"}?`}
        consequence={
          <p>
            The profile leaves the directory and can no longer be booked. Sessions already booked stay booked. You can
            publish it again at any time.
          </p>
        }
        confirmLabel="Unpublish"
        busy={publish.isPending}
        error={publish.error}
        onConfirm={() => {
          if (unpublishing) publish.mutate({ expertId: unpublishing.id, published: false });
        }}
        onCancel={() => {
          setUnpublishing(null);
          publish.reset();
        }}
      />
      <QueryState query={list} empty="No experts yet.">
        {(rows) => {
          const published = rows.filter((x) => x.published).length;
          const needle = search.trim().toLowerCase();
          const shown = rows.filter(
            (x) =>
              (show === "" || (show === "published") === x.published) &&
              (!needle || [x.user.name, x.headline, x.slug].some((v) => v.toLowerCase().includes(needle))),
          );
          return (
            <>
              <p className="c-muted" data-testid="experts-count">
                {rows.length === 1 ? "1 expert" : `${rows.length} experts`}, {published} published
              </p>
              <FilterBar label="Find an expert">
                <SearchField
                  id="expert-search"
                  placeholder="Name, headline or profile address"
                  value={search}
                  onChange={setSearch}
                />
                <FilterSelect
                  id="expert-show"
                  label="Show"
                  value={show}
                  any="All experts"
                  options={[
                    ["published", "Published"],
                    ["unpublished", "Not published"],
                  ]}
                  onChange={(v) => setShow(v as typeof show)}
                />
              </FilterBar>
              <FilteredTable
                rows={shown}
                total={rows.length}
                noun="experts"
                noMatch={{
                  message: "No expert matches these filters.",
                  clearLabel: "Show all experts",
                  onClear: () => {
                    setSearch("");
                    setShow("");
                  },
                }}
                rowKey={(x) => x.id}
                rowTestId="expert-row"
                columns={[
                  {
                    header: "Name",
                    cell: (x) => (
                      <>
                        <span className="c-person-name">{x.user.name}</span>
                        {x.published ? (
                          // The public page, in a new tab: the console stays where it is.
                          <a
                            className="c-person-email c-small"
                            href={`/experts/${x.slug}`}
                            target="_blank"
                            rel="noopener"
                          >
                            /experts/{x.slug}
                            <span className="c-visually-hidden"> (public profile, opens in a new tab)</span>
                          </a>
                        ) : (
                          <span className="c-person-email c-small c-muted">/experts/{x.slug} · not on the site</span>
                        )}
                      </>
                    ),
                  },
                  { header: "Headline", cell: (x) => x.headline },
                  {
                    header: "Profile",
                    cell: (x) => (
                      <span className={x.published ? "c-tag c-tag-ok" : "c-tag"}>
                        {x.published ? "Published" : "Not published"}
                      </span>
                    ),
                  },
                  {
                    header: <span className="c-visually-hidden">Publish</span>,
                    cell: (x) => (
                      <button
                        type="button"
                        className="c-button c-secondary"
                        disabled={publish.isPending}
                        onClick={() =>
                          x.published
                            ? (publish.reset(), setUnpublishing({ id: x.id, name: x.user.name }))
                            : publish.mutate({ expertId: x.id, published: true })
                        }
                      >
                        {x.published ? "Unpublish" : "Publish"}
                      </button>
                    ),
                  },
                ]}
              />
            </>
          );
        }}
      </QueryState>
      <ConfirmDialog
        open={confirming}
        title={`Make ${draft.email.trim()} an expert?`}
        consequence={
          <p>
            The account becomes an <strong>{ROLE_LABEL.EXPERT}</strong> with an unpublished profile and is signed out on
            every device. Once published, people can book it and it sees its clients&apos; names.
          </p>
        }
        confirmLabel="Make expert"
        danger={false}
        needsCode
        busy={onboard.isPending}
        error={onboard.error}
        onConfirm={({ code }) => onboard.mutate({ ...draft, bio: "", timezone: "UTC", languages: ["en"], code })}
        onCancel={() => setConfirming(false)}
      />
      <form
        className="c-card c-stack"
        aria-labelledby="onboard-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onboard.reset();
          setConfirming(true);
        }}
      >
        <h2 id="onboard-title">Turn an account into an expert</h2>
        {fields.map((f) => (
          <div className="c-field" key={f.key}>
            <label htmlFor={`exp-${f.key}`}>{f.label}</label>
            {"hint" in f ? (
              <p className="c-muted c-hint" id={`exp-${f.key}-hint`}>
                {f.hint}
              </p>
            ) : null}
            <input
              id={`exp-${f.key}`}
              type={f.key === "email" ? "email" : "text"}
              value={draft[f.key]}
              aria-invalid={err?.fields[f.key] ? true : undefined}
              aria-describedby={["hint" in f ? `exp-${f.key}-hint` : "", `exp-${f.key}-err`].join(" ").trim()}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
            />
            <FieldError id={`exp-${f.key}-err`} message={err?.fields[f.key]} />
          </div>
        ))}
        {err && Object.keys(err.fields).length === 0 ? <ErrorNote error={onboard.error} /> : null}
        <div>
          <button className="c-button" type="submit" disabled={onboard.isPending}>
            Make expert…
          </button>
        </div>
      </form>
    </section>
  );
}
