import { noPersonalData, type PersonalTable } from "../../platform/contract/personal.ts";

/** Predictions keep no person's row: each customer's value and churn risk is worked out from the fit when asked. */
export const predictPersonalData: PersonalTable[] = [
  noPersonalData("predict_fits", { data: "a model's parameters and counts, no person's row" }),
];
