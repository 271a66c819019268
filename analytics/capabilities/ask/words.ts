/**
 * The words marketers use, and what Lift reads them as. Tables, not code: the
 * understanding (understand.ts) walks them in order. README.md ("Ask in plain
 * words") lists the same synonyms and the metrics Lift does not have.
 */

/** Metrics Lift does not measure, how people say them, and what it can answer instead. */
export const UNAVAILABLE: { name: string; pattern: RegExp; why: string; instead: string[] }[] = [
  {
    name: "sales by day of the week",
    pattern:
      /\b(?:best|worst|busiest|quietest|strongest|weakest|top) (?:day of (?:the )?week|weekdays?)\b|\bby (?:day of (?:the )?week|weekdays?)\b|\bwhich (?:day of the week|weekday)\b/,
    why: "Lift breaks figures down by day, week and month, not by weekday yet",
    instead: ["kpi revenue last 90 days by day", "kpi orders last 90 days by day"],
  },
  {
    name: "bounce rate",
    pattern: /\bbounce(?:s| rates?)?\b/,
    why: "Lift counts people and pageviews, not single-page sessions",
    instead: [
      "kpi pageviews and visitors last 30 days by channel",
      "kpi conversion rate last 30 days by channel",
    ],
  },
  {
    name: "refunds",
    pattern: /\b(?:refunds?|refunded|refund rates?|returns|returned orders?|chargebacks?)\b/,
    why: "imports keep completed sales and reject refunded or cancelled orders",
    instead: ["kpi orders and revenue last 30 days", "mentions about returns"],
  },
  {
    name: "churn rate",
    pattern: /\bchurn(?: rates?)?\b(?!ing)|\bchurned\b/,
    why: "Lift has no subscriptions to cancel; it predicts which customers have stopped ordering",
    instead: ["churn risk", "segment at risk", "clv"],
  },
  {
    name: "retention",
    pattern: /\bretention(?: rates?)?\b|\bcohorts?\b/,
    why: "Lift does not build cohort tables yet",
    instead: ["segments", "segment loyal"],
  },
  {
    name: "nps",
    pattern: /\bnps\b|\bnet promoter\b/,
    why: "Lift takes in no survey answers",
    instead: ["sentiment last 30 days"],
  },
  {
    name: "session duration",
    pattern: /\b(?:session (?:duration|length)s?|time on (?:site|page)|dwell time)\b/,
    why: "Lift counts events and people, not time between them",
    instead: ["kpi pageviews and visitors last 30 days"],
  },
  {
    name: "profit",
    pattern: /\b(?:gross |net )?(?:profits?|margins?|cogs)\b/,
    why: "Lift has revenue and ad spend but not the cost of goods",
    instead: ["kpi revenue and spend last 30 days", "kpi roas last 30 days by campaign"],
  },
  {
    name: "open rate",
    pattern: /\b(?:open rates?|email opens?|unsubscribes?|unsubscribe rates?)\b/,
    why: "Lift does not take in email-platform events",
    instead: [
      "kpi revenue and orders last 30 days for email",
      "kpi orders last 30 days by campaign for email",
    ],
  },
  {
    name: "cart abandonment rate",
    pattern: /\b(?:cart abandonment|abandon(?:ed|ment)? (?:carts?|checkouts?)|abandonment rates?)\b/,
    why: "Lift reads it as a funnel rather than a rate of its own",
    instead: ['funnel "Product Added" > "Order Completed"'],
  },
  {
    name: "followers",
    pattern: /\b(?:followers?|follower count|engagement rates?)\b/,
    why: "Lift reads mentions of the brand, not the brand's own accounts",
    instead: ["mentions last 7 days", "sentiment last 30 days"],
  },
];

/**
 * Phrases rewritten into the KPI grammar's words before it reads them. A note
 * says so where the reading is a choice the asker should know about.
 */
export const REWRITES: { pattern: RegExp; to: string; note?: string }[] = [
  {
    pattern: /\bnew customers?\b/g,
    to: "signups",
    note: "read “new customers” as signups (Signed Up events); Lift does not count first orders separately",
  },
  { pattern: /\bnew (?:users|signups|sign ?ups|registrations)\b/g, to: "signups" },
  { pattern: /\bsigned up\b|\bsign(?:ed)? ?ups?\b/g, to: "signups" },
  {
    pattern:
      /\b(?:added (?:something |items? |products? |anything )?to (?:their |the |a )?carts?|add(?:ed|s)?[ -]to[ -]carts?|cart adds?|carts? additions?)\b/g,
    to: '"Product Added"',
    note: "read “added to cart” as “Product Added” events",
  },
  { pattern: /\bvisited\b/g, to: "visitors" },
  {
    pattern: /\b(?:people|users|customers|visitors)(?:\s+(?:who|that))?\s+(?=signups|"product added")/gi,
    to: " ",
  },
  { pattern: /\baverage (?:basket|cart|order) (?:size|value)\b/g, to: "aov" },
  { pattern: /\bconverting (?:visitors|traffic|people|users)\b/g, to: "conversion rate" },
  {
    pattern: /\bsessions?\b/g,
    to: "visitors",
    note: "read “sessions” as visitors: Lift counts people, not sessions",
  },
  { pattern: /\b(?:site |web |website )?(?:visits|traffic)\b/g, to: "visitors" },
  { pattern: /\b(?:how many|number of|count of) sales\b/g, to: "orders" },
  { pattern: /\border count\b|\bnumber of orders\b|\bsales count\b/g, to: "orders" },
  { pattern: /\bconverting\b|\bconversion\b(?! rate)/g, to: "conversion rate" },
  {
    pattern: /\bmarketing costs?\b|\badvertising costs?\b|\bcost us\b|\bspent on ads\b|\bspent\b/g,
    to: "spend",
  },
  { pattern: /\bpage ?views?\b/g, to: "pageviews" },
  { pattern: /\b(?:breakdown|broken down|split)\b(?! by)/g, to: " " },
  { pattern: /\bsince last (week|month|quarter|year)\b/g, to: "this $1" },
  { pattern: /\bso far\b|\bto date\b/g, to: " " },
];

/** Words that mean money came in, when a question names no metric ("how much did we sell"). */
export const REVENUE_VERBS =
  /\b(?:money|earn|earned|earning|make|made|making|sell|sold|selling|bring in|brought in|bringing in|takings)\b/;

/** The start of a "why" question. */
export const WHY =
  /\bwhy\b|^(?:how come)\b|\bwhat (?:made|led to|is driving|drove)\b|\bwhat(?: is| was)? (?:happened|happening|caused|drove|driving|is behind|was behind|explains)\b|\bexplain\b|\bwhat is behind\b|\bwhat(?:'s| is) going on\b/;

/** A question about a direction ("is paid search down?"). */
export const DIRECTION_START = /^(?:is|are|was|were|did|do|does|has|have|had)\b/;
export const DIRECTION =
  /\b(?:down|up|drop\w*|fall\w*|fell|declin\w*|ris(?:e|es|ing|en)|rose|grow\w*|grew|increas\w*|decreas\w*|worse|better|improv\w*|lower|higher|more|less|fewer|weaker|stronger|dip\w*|spik\w*|jump\w*|tank\w*|slump\w*|plung\w*|surg\w*)\b/;

/** Words a why or direction question moves around its metric, left out before the grammar reads it. */
export const MOTION_WORDS =
  /\b(?:the |a |an |this )?(?:drop|fall|dip|spike|jump|increase|decrease|decline|rise|surge|slump|change|move|movement)s? (?:in|of)\b|\b(?:go(?:ne|ing)?|went|getting|got|been|performing|doing|so|than usual|than normal|than before|than last (?:week|month|year)|usual|normal|too)\b|\b(?:down|up|drop\w*|fall\w*|fell|declin\w*|ris(?:e|es|ing|en)|rose|grow\w*|grew|increas\w*|decreas\w*|worse|better|improv\w*|lower|higher|more|less|fewer|weaker|stronger|dip\w*|spik\w*|jump\w*|tank\w*|slump\w*|plung\w*|surg\w*|low|high)\b/g;

/** Ranking words, and which end of the ranking they mean ("best" flips for metrics where lower is better). */
export const RANK_WORDS: [RegExp, "top" | "bottom", boolean][] = [
  [/\bmost expensive\b/, "top", false],
  [/\bleast expensive\b|\bcheapest\b/, "bottom", false],
  [
    /\btop\b|\bhighest\b|\bmost\b|\bbiggest\b|\blargest\b|\bleading\b|\branked by\b|\branking\b/,
    "top",
    false,
  ],
  [/\bbottom\b|\blowest\b|\bleast\b|\bfewest\b|\bsmallest\b/, "bottom", false],
  [/\bbest\b|\bstrongest\b/, "top", true],
  [/\bworst\b|\bweakest\b|\bpoorest\b/, "bottom", true],
];

/** Words a question is built with that carry nothing for the KPI grammar; dropped before it reads. */
export const ASK_FILLER = new Set(
  `a an the i we us our ours you your me my it its they their them that these those there here
  how what which who whom whose when where is are was were be been being am do does did done doing
  have has had having can could would should will shall may might must please pls thanks thank hey hi
  hello lift show give tell let know see look find get got getting bring brought come came make made
  much many number count total overall any some all each every just only really actually also
  about for of on at with into out up as than so far right now currently current
  like want need see check see know kind sort lot lots bit whole doing going go went
  performing performance perform performed did happen happening ranked ranking
  sites site website store shop numbers figures stats statistics data ads advertising advert adverts
  avg average idea wonder wondering guess
  drive drives drove driving driven generate generates generated generating deliver delivers delivered
  profitable effective efficient successful popular valuable well roughly approximately exactly precisely
  quickly quick briefly`.split(/\s+/),
);

/** Common words never corrected towards a metric or channel, however close they are. */
export const COMMON_WORDS = new Set(
  `a an the and or but not no yes if then than that this these those there their they them we us our
  you your me my mine he she it its is are was were be been being am do does did done have has had
  how what which who why when where while with without within from into onto over under about above
  after before again against all any both each few more most other some such only own same so too
  very can could will would shall should may might must just now then once here also back down up
  out off on in at by for of to as per via last past next first lost list least best better worse
  worst test tests rest most cost post posts host fast late rate date gate state days ways week weak
  weeks month months year years day today order older ordered orders sale same some save sold sell
  self selling made make mad made came come some soon team teams time times line lines like likes
  look looks took book books page pages views news new now how show shown shows tell tells told
  said say says saying seen seem seems sent spent spend send sends end ends and hand band brand
  bring brings brought thing things think thinks going doing done good great high higher low lower
  down drop drops dropped fall falls fell rise rises rose grow grows grew growth up went gone get got
  give gave given want wants need needs know knows knew see saw find found let lets put set run
  ran still well much many money mean means cash pay paid pays plan plans case cases cart carts card
  cards mail click clicks clock lock sign signs signed user users use used uses visit visits visitor
  top stop shop shops stock total totals sum sums count counts number numbers share shares chart
  charts deal deals data date dates final fine five four nine ten two one three six seven eight
  people person friend friends every everyone something anything nothing kind kinds type types group
  groups form forms from norm normal usual customer shipping delivery pricing price prices returns
  quality service support product products dropping falling rising growing declining increasing
  decreasing improving dropped jumped spiked jumping spiking tanking slumping surging dipping`.split(/\s+/),
);

/**
 * Everyday phrasings of questions Lift answers under another name, rewritten
 * before the grammar reads them; the note says what was read as what.
 */
export const REPHRASE: { pattern: RegExp; as: string; note: string }[] = [
  {
    pattern:
      /\b(?:by )?(?:new (?:vs\.?|versus|and|or|compared to) (?:returning|repeat|existing)|first[- ]time (?:vs\.?|versus|and|or) (?:repeat|returning))(?: customers?| buyers?| shoppers?)?\b/,
    as: " by customer type ",
    note: "read “new vs returning” as by customer type (new: a customer's first order ever)",
  },
  {
    pattern:
      /\b(?:repeat (?:purchases?|orders?|customers?|buyers?) (?:rates?|shares?)|repeat rates?|returning customers? (?:rates?|shares?)|(?:how many|share of) customers (?:come back|return|buy again|order again))\b/,
    as: " orders by customer type ",
    note: "read the repeat purchase rate as orders by customer type: the returning share of orders is it",
  },
];
