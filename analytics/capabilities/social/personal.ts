import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

/** Social listening's personal data: posts by their author's handle (public text, kept searchable). */
export const socialPersonalData: PersonalTable[] = [
  {
    table: "mentions",
    // The post's text is public and stays searchable; who wrote it and its address are sealed.
    columns: { author: "handle", text: "text", url: "text" },
    findBy: { author: "handle" },
    sealed: ["author", "url"],
    yields: { id: "mention" },
    erase: "delete",
    retention: { kind: "mentions", column: "timestamp" },
  },
  { table: "mention_topics", columns: {}, findBy: { mention_id: "mention" }, erase: "delete" },
  noPersonalData("topics", { name: "a topic's name", owner: "who on the team made it (a Slack user id)" }),
  noPersonalData("sentiment_words", { added_by: "who on the team added the word (a Slack user id)" }),
];
