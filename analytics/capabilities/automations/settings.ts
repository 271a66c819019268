import { z } from "zod";
import { flag, optionalText, optionalUrl } from "../../platform/contract/settings.ts";
import { readQuietHours } from "./timing.ts";

/**
 * The automations capability's settings. SMTP_URL: where mail goes (smtp:// or smtps://, with
 * its user and password); without it mail lands in the console's outbox and is not sent.
 * LIFT_PUBLIC_URL: where recipients reach Lift (unsubscribe and click links); the console's
 * address when not set. The suppression list's hashes and signed links use the platform's hash key
 * (LIFT_HASH_KEY).
 */
export const automationsSettings = z
  .object({
    SMTP_URL: optionalText.pipe(
      z
        .string()
        .regex(
          /^smtps?:\/\//,
          "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587",
        )
        .optional(),
    ),
    LIFT_EMAIL_FROM: z.string().trim().default("Lift <lift@localhost>"),
    LIFT_PUBLIC_URL: optionalUrl,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LIFT_WEBHOOK_SECRET: optionalText,
    LIFT_CONSENT_TRAIT: z.string().trim().min(1).default("accepts_marketing"),
    LIFT_EMAIL_CAP: z.coerce
      .number()
      .int()
      .min(1, "must be 1 or more messages per 7 days")
      .max(100)
      .default(3),
    LIFT_QUIET_HOURS: z
      .string()
      .default("21:00-08:00")
      .transform((text, ctx) => {
        try {
          return readQuietHours(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
    LIFT_APPROVAL_THRESHOLD: z.coerce.number().int().min(1).default(500),
    LIFT_ATTRIBUTION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    LIFT_CLICK_TRACKING: z
      .enum(["true", "false", "1", "0", ""])
      .default("true")
      .transform((value) => value !== "false" && value !== "0"),
    LIFT_OPEN_TRACKING: flag,
    LIFT_DKIM_DOMAIN: optionalText,
    LIFT_DKIM_SELECTOR: optionalText,
    /** A PEM private key; a backslash and an n (a key on one line of an env file) are read as a newline. */
    LIFT_DKIM_KEY: optionalText.transform((value) => value?.replace(/\\n/g, "\n")),
  })
  // Mail that goes out carries links recipients must reach: never ones to this machine by default.
  .superRefine((settings, context) => {
    const dkim = [settings.LIFT_DKIM_DOMAIN, settings.LIFT_DKIM_SELECTOR, settings.LIFT_DKIM_KEY];
    if (dkim.some(Boolean) && !dkim.every(Boolean))
      context.addIssue({
        code: "custom",
        path: ["LIFT_DKIM_KEY"],
        message: "DKIM needs LIFT_DKIM_DOMAIN, LIFT_DKIM_SELECTOR and LIFT_DKIM_KEY together",
      });
    if (settings.LIFT_DKIM_KEY && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(settings.LIFT_DKIM_KEY))
      context.addIssue({ code: "custom", path: ["LIFT_DKIM_KEY"], message: "must be a PEM private key" });
    if (settings.SMTP_URL && !settings.LIFT_PUBLIC_URL)
      context.addIssue({
        code: "custom",
        path: ["LIFT_PUBLIC_URL"],
        message:
          "must be set when SMTP_URL is: unsubscribe and click links in sent mail need an address recipients can reach (http://localhost:3000 for a test relay)",
      });
  });

export type AutomationsSettings = z.infer<typeof automationsSettings>;
