import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

/** The erasure list holds keyed hashes only; the runs say who erased, not whom. */
export const privacyPersonalData: PersonalTable[] = [
  noPersonalData("erasures", { hash: "a keyed hash of an erased identifier (the erasure list itself)" }),
  noPersonalData("erasure_runs", { actor: "who on the team erased (a Slack user id, console or cli)" }),
];
