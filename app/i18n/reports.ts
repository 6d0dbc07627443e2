// Text of the scheduled report mails and of the subscription forms (/views, /unsubscribe), per locale.

import type { Locale } from "./locales";

type Cadence = "daily" | "weekly" | "monthly";

export interface ReportMessages {
  subject: (view: string, cadence: Cadence) => string;
  cadences: Record<Cadence, string>;
  weekdays: readonly string[];
  heading: (view: string) => string;
  period: (range: string) => string;
  comparison: (range: string) => string;
  ordersThrough: (day: string) => string;
  snapshot: (id: string, at: string) => string;
  synthetic: string;
  headline: string;
  metric: string;
  value: string;
  before: string;
  change: string;
  open: string;
  attached: (n: number) => string;
  notAttached: (file: string) => string;
  unsubscribe: string;
  why: (cadence: string) => string;
  // The forms.
  subscribeTitle: string;
  subscribeIntro: string;
  view: string;
  cadence: string;
  weekday: string;
  dayOfMonth: string;
  time: string;
  timeZone: string;
  language: string;
  format: string;
  formats: Record<"xlsx" | "csv-excel-fr" | "csv-excel-en" | "none", string>;
  subscribeButton: string;
  mySubscriptions: string;
  noSubscriptions: string;
  nextRun: string;
  lastSent: string;
  never: string;
  unsubscribeButton: string;
  unsubscribeLabel: (view: string) => string;
  subscribed: (view: string, next: string) => string;
  unsubscribed: (view: string) => string;
  noMail: string;
  unsubscribePage: string;
  unsubscribeAsk: (view: string, cadence: string, email: string) => string;
  unsubscribeDone: (view: string) => string;
  unsubscribeUnknown: string;
  errors: {
    view: string;
    cadence: string;
    weekday: string;
    day: string;
    time: string;
    zone: string;
    language: string;
    format: string;
    notFound: string;
  };
}

export const REPORT_MESSAGES: Record<Locale, ReportMessages> = {
  "en-GB": {
    subject: (view, cadence) =>
      `Backlight ${cadence === "daily" ? "daily" : cadence === "weekly" ? "weekly" : "monthly"} report: ${view}`,
    cadences: { daily: "Every day", weekly: "Every week", monthly: "Every month" },
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    heading: (view) => view,
    period: (range) => `Period: ${range}`,
    comparison: (range) => `Compared with ${range}`,
    ordersThrough: (day) => `Orders through ${day}`,
    snapshot: (id, at) => `Snapshot ${id}, published ${at}`,
    synthetic: "Synthetic data: these figures are generated, not the company's.",
    headline: "Headline figures",
    metric: "Metric",
    value: "Now",
    before: "Before",
    change: "Change",
    open: "Open this view in Backlight",
    attached: (n) => (n === 1 ? "1 file attached." : `${n} files attached.`),
    notAttached: (file) => `Not attached: ${file}`,
    unsubscribe: "Unsubscribe from this report",
    why: (cadence) => `You receive this mail because you subscribed to this view (${cadence.toLowerCase()}).`,
    subscribeTitle: "Reports by e-mail",
    subscribeIntro:
      "Get a saved view by e-mail: its headline figures, a link back and its downloads attached, at the time you choose in your time zone.",
    view: "View",
    cadence: "How often",
    weekday: "Day of the week",
    dayOfMonth: "Day of the month",
    time: "Time",
    timeZone: "Time zone",
    language: "Language",
    format: "Attachments",
    formats: {
      xlsx: "Excel workbook",
      "csv-excel-fr": "CSV for Excel (French)",
      "csv-excel-en": "CSV for Excel (English)",
      none: "None (figures and link only)",
    },
    subscribeButton: "Subscribe",
    mySubscriptions: "My reports",
    noSubscriptions: "You receive no report yet.",
    nextRun: "Next",
    lastSent: "Last sent",
    never: "not yet",
    unsubscribeButton: "Unsubscribe",
    unsubscribeLabel: (view) => `Unsubscribe from the report of ${view}`,
    subscribed: (view, next) => `You will receive ${view} by e-mail, next on ${next}.`,
    unsubscribed: (view) => `You will no longer receive ${view} by e-mail.`,
    noMail:
      "Mail is not set up on this server (BACKLIGHT_SMTP_URL): subscriptions are kept, and sent once it is.",
    unsubscribePage: "Unsubscribe",
    unsubscribeAsk: (view, cadence, email) =>
      `Stop sending “${view}” (${cadence.toLowerCase()}) to ${email}?`,
    unsubscribeDone: (view) => `Done: “${view}” will no longer be sent to you.`,
    unsubscribeUnknown:
      "This unsubscribe link is not valid any more: the report was already cancelled, or the link is incomplete.",
    errors: {
      view: "Choose one of your saved views.",
      cadence: "Choose every day, every week or every month.",
      weekday: "Choose a day of the week.",
      day: "Choose a day of the month from 1 to 28 (every month has it).",
      time: "Give a time written HH:MM, e.g. 08:30.",
      zone: "Give a time zone such as Europe/Paris.",
      language: "Choose English or French.",
      format: "Choose the attachments' format.",
      notFound: "This report does not exist or is not yours.",
    },
  },
  "fr-FR": {
    subject: (view, cadence) =>
      `Rapport Backlight ${cadence === "daily" ? "quotidien" : cadence === "weekly" ? "hebdomadaire" : "mensuel"} : ${view}`,
    cadences: { daily: "Chaque jour", weekly: "Chaque semaine", monthly: "Chaque mois" },
    weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    heading: (view) => view,
    period: (range) => `Période : ${range}`,
    comparison: (range) => `Comparée à ${range}`,
    ordersThrough: (day) => `Commandes jusqu’au ${day}`,
    snapshot: (id, at) => `Instantané ${id}, publié le ${at}`,
    synthetic: "Données synthétiques : ces chiffres sont générés, ce ne sont pas ceux de l’entreprise.",
    headline: "Chiffres clés",
    metric: "Indicateur",
    value: "Maintenant",
    before: "Avant",
    change: "Évolution",
    open: "Ouvrir cette vue dans Backlight",
    attached: (n) => (n === 1 ? "1 fichier joint." : `${n} fichiers joints.`),
    notAttached: (file) => `Non joint : ${file}`,
    unsubscribe: "Se désabonner de ce rapport",
    why: (cadence) => `Vous recevez ce courriel car vous êtes abonné à cette vue (${cadence.toLowerCase()}).`,
    subscribeTitle: "Rapports par courriel",
    subscribeIntro:
      "Recevez une vue enregistrée par courriel : ses chiffres clés, un lien vers elle et ses téléchargements en pièces jointes, à l’heure choisie dans votre fuseau.",
    view: "Vue",
    cadence: "Fréquence",
    weekday: "Jour de la semaine",
    dayOfMonth: "Jour du mois",
    time: "Heure",
    timeZone: "Fuseau horaire",
    language: "Langue",
    format: "Pièces jointes",
    formats: {
      xlsx: "Classeur Excel",
      "csv-excel-fr": "CSV pour Excel (français)",
      "csv-excel-en": "CSV pour Excel (anglais)",
      none: "Aucune (chiffres et lien seulement)",
    },
    subscribeButton: "S’abonner",
    mySubscriptions: "Mes rapports",
    noSubscriptions: "Vous ne recevez encore aucun rapport.",
    nextRun: "Prochain",
    lastSent: "Dernier envoi",
    never: "pas encore",
    unsubscribeButton: "Se désabonner",
    unsubscribeLabel: (view) => `Se désabonner du rapport de ${view}`,
    subscribed: (view, next) => `Vous recevrez ${view} par courriel, prochain envoi le ${next}.`,
    unsubscribed: (view) => `Vous ne recevrez plus ${view} par courriel.`,
    noMail:
      "L’envoi de courriels n’est pas configuré sur ce serveur (BACKLIGHT_SMTP_URL) : les abonnements sont conservés et partiront dès qu’il le sera.",
    unsubscribePage: "Désabonnement",
    unsubscribeAsk: (view, cadence, email) =>
      `Ne plus envoyer « ${view} » (${cadence.toLowerCase()}) à ${email} ?`,
    unsubscribeDone: (view) => `C’est fait : « ${view} » ne vous sera plus envoyé.`,
    unsubscribeUnknown:
      "Ce lien de désabonnement n’est plus valable : le rapport a déjà été annulé, ou le lien est incomplet.",
    errors: {
      view: "Choisissez une de vos vues enregistrées.",
      cadence: "Choisissez chaque jour, chaque semaine ou chaque mois.",
      weekday: "Choisissez un jour de la semaine.",
      day: "Choisissez un jour du mois de 1 à 28 (chaque mois en a un).",
      time: "Donnez une heure écrite HH:MM, p. ex. 08:30.",
      zone: "Donnez un fuseau horaire comme Europe/Paris.",
      language: "Choisissez anglais ou français.",
      format: "Choisissez le format des pièces jointes.",
      notFound: "Ce rapport n’existe pas ou n’est pas le vôtre.",
    },
  },
};
