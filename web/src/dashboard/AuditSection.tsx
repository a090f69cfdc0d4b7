// The audit log (admins): newest first, filtered by actor, action and time, paged by id. The chain
// check (the same as `vaultroom audit verify`) runs on demand.
import { createResource, createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import type { AdminUser } from "../api/types.ts";
import { en, type MessageKey } from "../i18n/en.ts";
import { aboutText, retentionChange } from "./audit-text.ts";

const PAGE = 50;

interface Filter {
  actorId?: number;
  event?: string;
  from?: number;
  to?: number;
}

/** An action in words, in the interface's language; a name this version does not know, as it is. */
function eventText(event: string): string {
  const key = `audit.event.${event}` as MessageKey;
  return key in en ? t(key) : event;
}

/**
 * The column's name inside each cell, shown only on a phone (dashboard.css), where the table's head is
 * hidden and the cells stack: without it an address read like a time (issue 19).
 */
function CellLabel(props: { column: "audit.time" | "audit.action" | "audit.actor" | "audit.target" | "audit.address" }) {
  return <span class="cell-label">{t("audit.cell", { label: t(props.column) })}</span>;
}

export function AuditSection(props: { users: AdminUser[] }) {
  const [filter, setFilter] = createSignal<Filter>({});
  // Ids of the pages' first entries: "newer" goes back one, "older" starts after the last shown.
  const [cursor, setCursor] = createSignal<number | undefined>(undefined);
  const [trail, setTrail] = createSignal<(number | undefined)[]>([]);
  const [events] = createResource(async () => (await call(api.admin.audit.events.get())).events);
  const actions = () => {
    const collator = new Intl.Collator(undefined, { sensitivity: "base" });
    return (events() ?? []).map((event) => ({ event, text: eventText(event) })).sort((a, b) => collator.compare(a.text, b.text));
  };
  const [page] = createResource(
    () => ({ ...filter(), before: cursor() }),
    async (query) => (await call(api.admin.audit.get({ query: { ...query, limit: PAGE + 1 } }))).entries,
  );
  const [check, setCheck] = createSignal<string | null>(null);
  const shown = () => (page() ?? []).slice(0, PAGE);
  const apply = (next: Filter) => {
    setFilter(next);
    setCursor(undefined);
    setTrail([]);
  };
  const day = (value: string, end: boolean) => (value ? Date.parse(`${value}T${end ? "23:59:59.999" : "00:00:00"}`) : undefined);
  const verify = async () => {
    try {
      const report = await call(api.admin.audit.verify.get());
      setCheck(report.ok ? t("audit.verified", { count: report.entries }) : t("audit.broken", { id: report.problem?.entryId ?? "?", kind: report.problem?.kind ?? "" }));
    } catch (error) {
      setCheck(errorText(error));
    }
  };

  return (
    <section class="card wide" aria-labelledby="audit-title" data-testid="audit">
      <div class="card-heading">
        <h2 id="audit-title">{t("audit.title")}</h2>
        <button type="button" class="button small" onClick={() => void verify()}>{t("audit.verify")}</button>
      </div>
      <Show when={check()}>
        <p role="status">{check()}</p>
      </Show>
      <form class="audit-filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="audit-actor">{t("audit.actor")}</label>
          <select id="audit-actor" class="select" onChange={(e) => apply({ ...filter(), actorId: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}>
            <option value="">{t("audit.anyone")}</option>
            <For each={props.users}>{(user) => <option value={user.id}>{user.username}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="audit-action">{t("audit.action")}</label>
          <select id="audit-action" class="select" onChange={(e) => apply({ ...filter(), event: e.currentTarget.value || undefined })}>
            <option value="">{t("audit.anyAction")}</option>
            <For each={actions()}>{(action) => <option value={action.event}>{action.text}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="audit-from">{t("audit.from")}</label>
          <input id="audit-from" class="input" type="date" onChange={(e) => apply({ ...filter(), from: day(e.currentTarget.value, false) })} />
        </div>
        <div class="field">
          <label for="audit-to">{t("audit.to")}</label>
          <input id="audit-to" class="input" type="date" onChange={(e) => apply({ ...filter(), to: day(e.currentTarget.value, true) })} />
        </div>
      </form>
      <Show when={page.error}>
        <p class="form-error" role="alert">{errorText(page.error)}</p>
      </Show>
      <div class="table-wrap">
        <table class="users-table">
          <caption class="visually-hidden">{t("audit.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit.time")}</th>
              <th scope="col">{t("audit.action")}</th>
              <th scope="col">{t("audit.actor")}</th>
              <th scope="col">{t("audit.target")}</th>
              <th scope="col">{t("audit.address")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={shown()} fallback={<tr><td colSpan={5} class="muted">{t("audit.none")}</td></tr>}>
              {(entry) => (
                <tr>
                  <td><CellLabel column="audit.time" />{formatDateTime(entry.at)}</td>
                  {/* The name in the JSON log, for who looks for the same entry there. */}
                  <td title={entry.event}>
                    <CellLabel column="audit.action" />
                    {eventText(entry.event)}
                    <Show when={entry.event === "retention_changed" && entry.detail}>
                      {(detail) => <For each={retentionChange(detail())}>{(line) => <span class="audit-detail">{line}</span>}</For>}
                    </Show>
                  </td>
                  <td><CellLabel column="audit.actor" />{entry.actorName ?? "—"}</td>
                  <td title={entry.about ? (entry.target ?? undefined) : undefined}><CellLabel column="audit.target" />{aboutText(entry)}</td>
                  <td><CellLabel column="audit.address" />{entry.ip ?? "—"}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <div class="dialog-actions">
        <button
          type="button"
          class="button small"
          disabled={trail().length === 0}
          onClick={() => {
            const back = trail();
            setCursor(back.at(-1));
            setTrail(back.slice(0, -1));
          }}
        >
          {t("audit.newer")}
        </button>
        <button
          type="button"
          class="button small"
          disabled={(page()?.length ?? 0) <= PAGE}
          onClick={() => {
            setTrail([...trail(), cursor()]);
            setCursor(shown().at(-1)?.id);
          }}
        >
          {t("audit.older")}
        </button>
      </div>
    </section>
  );
}
