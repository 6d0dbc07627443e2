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
  /** A monthly report's table of restated figures: how many moved, how many are listed. */
  changesCaption: (total: number, shown: number) => string;
  noChanges: string;
  changesLink: string;
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
  alertsTitle: string;
  alertsIntro: string;
  alertViewHint: string;
  alertMetric: string;
  alertWhen: string;
  below: string;
  above: string;
  threshold: string;
  thresholdHint: string;
  addAlert: string;
  myAlerts: string;
  noAlerts: string;
  noAlertViews: string;
  lastCheck: string;
  notChecked: string;
  firedOn: (value: string) => string;
  quiet: (value: string) => string;
  noValue: string;
  removeAlert: string;
  removeAlertLabel: (rule: string) => string;
  alertAdded: (rule: string) => string;
  alertRemoved: string;
  firedNotice: (n: number) => string;
  /** "EBITDA of “Europe” below €0.00": the condition is `below`/`above` and the threshold. */
  rule: (metric: string, view: string, condition: string) => string;
  alertSubject: (rule: string) => string;
  alertBody: (value: string, threshold: string) => string;
  manage: string;
  errors: {
    metric: string;
    threshold: string;
    alertView: string;
    /** The figure chosen is not one the view's page shows. */
    metricPage: string;
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
    changesCaption: (total, shown) =>
      total === shown
        ? `What changed since the last publish: ${total === 1 ? "1 earlier figure" : `${total} earlier figures`} restated`
        : `What changed since the last publish: ${total} earlier figures restated, the first ${shown} here`,
    noChanges: "What changed since the last publish: no earlier figure was restated.",
    changesLink: "Every restated figure, with the batches that moved it",
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
    alertsTitle: "Alerts",
    alertsIntro:
      "Be told when a figure crosses a line: each time new data is published, the figure is worked out for the saved view's filters and period, and you get an e-mail (and a notice here) when it is past your threshold.",
    alertViewHint:
      "Views of the overview, regions, grades, price displays and changes pages (their filters and period: “Last whole month” for a monthly check). The figures are grouped by the page that shows them; the changes page watches the quarantine of each publish.",
    alertMetric: "Figure",
    alertWhen: "When it is",
    below: "below",
    above: "above",
    threshold: "Threshold",
    thresholdHint: "In the figure's unit: euros, a count, or a percentage for a rate.",
    addAlert: "Add the alert",
    myAlerts: "My alerts",
    noAlerts: "You have no alert yet.",
    noAlertViews:
      "Save a view of the overview, regions, grades, price displays or changes page first: an alert watches its filters.",
    lastCheck: "Last check:",
    notChecked: "not checked yet",
    firedOn: (value) => `fired: ${value}`,
    quiet: (value) => `quiet: ${value}`,
    noValue: "no figure for this period",
    removeAlert: "Remove",
    removeAlertLabel: (rule) => `Remove the alert: ${rule}`,
    alertAdded: (rule) => `Alert added: ${rule}. It is checked at each publish.`,
    alertRemoved: "Alert removed.",
    firedNotice: (n) =>
      n === 1 ? "1 alert fired on the current data." : `${n} alerts fired on the current data.`,
    rule: (metric, view, condition) => `${metric} of “${view}” ${condition}`,
    alertSubject: (rule) => `Backlight alert: ${rule}`,
    alertBody: (value, threshold) => `The figure is ${value}; the alert's threshold is ${threshold}.`,
    manage: "Manage your alerts",
    errors: {
      metric: "Choose a figure your role may see.",
      threshold: "Give the threshold as a number, e.g. 0 or -1500 or 5.",
      alertView: "Choose a saved view of the overview, regions, grades, price displays or changes page.",
      metricPage:
        "That figure is not on the chosen view's page: the list groups the figures by page; choose one of its group.",
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
    changesCaption: (total, shown) =>
      total === shown
        ? `Ce qui a changé depuis la dernière publication : ${total === 1 ? "1 chiffre passé révisé" : `${total} chiffres passés révisés`}`
        : `Ce qui a changé depuis la dernière publication : ${total} chiffres passés révisés, les ${shown} premiers ici`,
    noChanges: "Ce qui a changé depuis la dernière publication : aucun chiffre passé n’a été révisé.",
    changesLink: "Tous les chiffres révisés, avec les lots qui les ont modifiés",
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
    alertsTitle: "Alertes",
    alertsIntro:
      "Soyez prévenu quand un chiffre franchit un seuil : à chaque publication de données, le chiffre est calculé pour les filtres et la période de la vue enregistrée, et vous recevez un courriel (et un avis ici) quand il dépasse votre seuil.",
    alertViewHint:
      "Vues des pages vue d’ensemble, régions, grades, affichages de prix et changements (leurs filtres et leur période : « Dernier mois entier » pour un contrôle mensuel). Les chiffres sont regroupés par page ; la page des changements surveille la quarantaine de chaque publication.",
    alertMetric: "Chiffre",
    alertWhen: "Quand il est",
    below: "inférieur à",
    above: "supérieur à",
    threshold: "Seuil",
    thresholdHint: "Dans l’unité du chiffre : euros, nombre, ou pourcentage pour un taux.",
    addAlert: "Ajouter l’alerte",
    myAlerts: "Mes alertes",
    noAlerts: "Vous n’avez encore aucune alerte.",
    noAlertViews:
      "Enregistrez d’abord une vue des pages vue d’ensemble, régions, grades, affichages de prix ou changements : une alerte surveille ses filtres.",
    lastCheck: "Dernier contrôle\u00a0:",
    notChecked: "pas encore contrôlée",
    firedOn: (value) => `déclenchée : ${value}`,
    quiet: (value) => `calme : ${value}`,
    noValue: "pas de chiffre pour cette période",
    removeAlert: "Supprimer",
    removeAlertLabel: (rule) => `Supprimer l’alerte : ${rule}`,
    alertAdded: (rule) => `Alerte ajoutée : ${rule}. Elle est contrôlée à chaque publication.`,
    alertRemoved: "Alerte supprimée.",
    firedNotice: (n) =>
      n === 1
        ? "1 alerte s’est déclenchée sur les données actuelles."
        : `${n} alertes se sont déclenchées sur les données actuelles.`,
    rule: (metric, view, condition) => `${metric} de « ${view} » ${condition}`,
    alertSubject: (rule) => `Alerte Backlight : ${rule}`,
    alertBody: (value, threshold) => `Le chiffre est de ${value} ; le seuil de l’alerte est ${threshold}.`,
    manage: "Gérer vos alertes",
    errors: {
      metric: "Choisissez un chiffre que votre rôle peut voir.",
      threshold: "Donnez le seuil en nombre, p. ex. 0, -1500 ou 5.",
      alertView:
        "Choisissez une vue enregistrée de la vue d’ensemble, des régions, des grades, des affichages de prix ou des changements.",
      metricPage:
        "Ce chiffre n’est pas sur la page de la vue choisie : la liste regroupe les chiffres par page ; choisissez-en un de son groupe.",
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
