import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

/** Segments' personal data: who is in each segment, and who joined or left when. */
export const segmentsPersonalData: PersonalTable[] = [
  {
    table: "segment_members",
    columns: { person_id: "id" },
    findBy: { person_id: "person" },
    erase: "delete",
  },
  {
    table: "segment_changes",
    columns: { person_id: "id" },
    findBy: { person_id: "person" },
    erase: "delete",
  },
  noPersonalData("segments", {
    name: "a segment's name",
    owner: "who on the team made it (a Slack user id)",
  }),
];
