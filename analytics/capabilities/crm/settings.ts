import { z } from "zod";
import { optionalText, optionalUrl } from "../../platform/contract/settings.ts";

/**
 * The CRM capability's settings. HubSpot: a private app's token (HUBSPOT_TOKEN); its API at
 * HUBSPOT_BASE_URL (another server, as SLACK_API_URL does for Slack). Salesforce: OAuth 2.0
 * client credentials (SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET) or
 * an instance and a token (SALESFORCE_INSTANCE_URL, SALESFORCE_ACCESS_TOKEN). A CRM without its
 * settings is not connected, and `crm` says what to set.
 */
export const crmSettings = z
  .object({
    HUBSPOT_TOKEN: optionalText,
    HUBSPOT_BASE_URL: z.url().default("https://api.hubapi.com"),
    /** The least time between two HubSpot calls (the API allows 100–190 calls per 10 s by plan). */
    HUBSPOT_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(110),
    SALESFORCE_LOGIN_URL: optionalUrl,
    SALESFORCE_CLIENT_ID: optionalText,
    SALESFORCE_CLIENT_SECRET: optionalText,
    SALESFORCE_INSTANCE_URL: optionalUrl,
    SALESFORCE_ACCESS_TOKEN: optionalText,
    SALESFORCE_API_VERSION: z
      .string()
      .trim()
      .regex(/^v\d{2,3}\.0$/, "must be a REST API version such as v60.0")
      .default("v60.0"),
    /** The Contact field Lift upserts by (made by Lift when missing: text, unique, external id). */
    SALESFORCE_EXTERNAL_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, "must be a custom field's API name, e.g. Lift_Id__c")
      .default("Lift_Id__c"),
    /** How often connected CRMs are pulled (and the lists Lift keeps there brought up to date). */
    LIFT_CRM_EVERY_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    /** The most a sync waits out a CRM's rate limits before it stops and resumes on the next run. */
    LIFT_CRM_MAX_WAIT_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  })
  .superRefine((s, context) => {
    const credentials = [s.SALESFORCE_LOGIN_URL, s.SALESFORCE_CLIENT_ID, s.SALESFORCE_CLIENT_SECRET];
    if (credentials.some(Boolean) && !credentials.every(Boolean))
      context.addIssue({
        code: "custom",
        path: ["SALESFORCE_CLIENT_SECRET"],
        message:
          "Salesforce client credentials need SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET together",
      });
    if (
      Boolean(s.SALESFORCE_INSTANCE_URL) !== Boolean(s.SALESFORCE_ACCESS_TOKEN) &&
      !credentials.every(Boolean)
    )
      context.addIssue({
        code: "custom",
        path: ["SALESFORCE_ACCESS_TOKEN"],
        message: "a Salesforce token needs SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN together",
      });
  });

export type CrmSettings = z.infer<typeof crmSettings>;
