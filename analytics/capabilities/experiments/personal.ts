import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

/** The experiments' personal data: who saw which variant (exposures, imported result rows). */
export const experimentsPersonalData: PersonalTable[] = [
  { table: "exposures", columns: { person_id: "id" }, findBy: { person_id: "person" }, erase: "delete" },
  { table: "experiment_rows", columns: { user_id: "id" }, findBy: { user_id: "person" }, erase: "delete" },
  noPersonalData("experiments", {
    name: "an experiment's name",
    owner: "who on the team owns it (a Slack user id)",
  }),
];
