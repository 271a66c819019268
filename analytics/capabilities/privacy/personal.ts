import type { PersonalTable } from "../../platform/contract/personal.ts";

/** The erasure list holds keyed hashes only; the runs say who erased, not whom. */
export const privacyPersonalData: PersonalTable[] = [
  {
    table: "erasures",
    columns: {},
    findBy: {},
    erase: "delete",
    notPersonal: { hash: "a keyed hash of an erased identifier (the erasure list itself)" },
  },
  {
    table: "erasure_runs",
    columns: {},
    findBy: {},
    erase: "delete",
    notPersonal: { actor: "who on the team erased (a Slack user id, console or cli)" },
  },
];
