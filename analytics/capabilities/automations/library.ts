import type { TemplateRow } from "../../../db/automations/queries.ts";

/*
 * The template library Lift ships: short, plain, one call to action each, a merge field with a
 * default wherever a value may be missing. A workspace's own template of the same name wins;
 * `lift templates add NAME FILE` and the console's editor write those.
 */

const library = (
  name: string,
  subject: string,
  body: string,
  kind: "marketing" | "transactional" = "marketing",
): TemplateRow => ({
  name,
  subject,
  body,
  fromAddress: null,
  replyTo: null,
  kind,
  updatedAt: 0,
  updatedBy: "lift",
});

export const DEMO_TEMPLATES: readonly TemplateRow[] = [
  library(
    "win-back-1",
    "{{first_name|Hello}}, we saved something for you",
    `Hi {{first_name|there}},

It has been a while, and a lot is new since your last order. As one of our best customers, you get 15 % off your next one with the code COMEBACK15.

[See what is new](https://shop.example.com/new?utm_source=lift&utm_medium=email&utm_campaign=win-back)

Thank you for being with us.`,
  ),
  library(
    "win-back-2",
    "Last chance: 15 % off ends Sunday",
    `Hi {{first_name|there}},

Your 15 % code COMEBACK15 ends on Sunday. If something was not right last time, just reply: a person reads every answer.

[Use my code](https://shop.example.com/?utm_source=lift&utm_medium=email&utm_campaign=win-back-2)`,
  ),
  library(
    "abandoned-cart",
    "You left something in your cart",
    `Hi {{first_name|there}},

Your cart is saved. Finish your order in a minute; shipping is free over $50.

[Back to my cart](https://shop.example.com/cart?utm_source=lift&utm_medium=email&utm_campaign=abandoned-cart)`,
  ),
  library(
    "welcome",
    "Welcome, {{first_name|friend}}",
    `Hi {{first_name|there}},

Thanks for joining. Here are our three most loved products to start with.

[Start here](https://shop.example.com/best?utm_source=lift&utm_medium=email&utm_campaign=welcome)`,
  ),
  library(
    "vip-thanks",
    "A thank-you for our best customers",
    `Hi {{first_name|there}},

You are one of our most loyal customers. Early access to the winter collection opens for you today.

[Shop early](https://shop.example.com/early?utm_source=lift&utm_medium=email&utm_campaign=vip)`,
  ),
  library(
    "order-help",
    "About your order",
    `Hi {{first_name|there}},

We noticed a problem with your recent order and are on it. Reply to this message and we will sort it out today.`,
    "transactional",
  ),
];
