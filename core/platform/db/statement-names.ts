// Names for prepared statements on the PostgreSQL server. node-postgres sends an unnamed statement every time
// (parse, analyse and plan on each execution); a named one is parsed once per connection and then only bound and
// executed, which is most of what a short lookup costs the server. The same text always gets the same name, so a
// name can never stand for two texts. The set is capped because each named statement lives on every pooled
// connection until it closes: texts that vary with their input (an IN list per length) must not grow it forever.
import { createHash } from "node:crypto";

export const MAX_NAMED_STATEMENTS = 500;

export function statementNamer(max = MAX_NAMED_STATEMENTS): (sql: string) => string | undefined {
  const names = new Map<string, string>();
  return (sql) => {
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (names.size >= max) return undefined;
    const name = `mn_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
    names.set(sql, name);
    return name;
  };
}
