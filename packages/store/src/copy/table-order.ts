/** The order to copy SQLite tables in: every table after the tables its foreign keys point to. */
import type Database from "better-sqlite3";

export function copyOrder(db: Database.Database, tables: readonly string[]): string[] {
  const parents = new Map<string, Set<string>>();
  for (const table of tables) {
    const refs = db.prepare(`PRAGMA foreign_key_list("${table.replaceAll('"', '""')}")`).all() as {
      table: string;
    }[];
    parents.set(table, new Set(refs.map((r) => r.table).filter((t) => t !== table && tables.includes(t))));
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const parent of [...(parents.get(table) ?? [])].sort()) visit(parent);
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table);
  return ordered;
}
