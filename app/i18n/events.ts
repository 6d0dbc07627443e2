// Business events (issue 21, item 6): the words of the admin section where they are entered.

import type { Locale } from "./locales";

export interface EventsMessages {
  title: string;
  intro: string;
  day: string;
  labelEn: string;
  labelFr: string;
  country: string;
  wholeCompany: string;
  add: string;
  none: string;
  remove: (label: string) => string;
  removeButton: string;
  added: (label: string) => string;
  removed: (label: string) => string;
  errors: { day: string; label: string; country: string; notFound: string };
}

export const EVENTS_MESSAGES: Record<Locale, EventsMessages> = {
  "en-GB": {
    title: "Business events",
    intro:
      "Dated events (a partnership starts, an app launches, a reorganisation) drawn as numbered markers on every time chart whose period holds them, and listed in the Excel downloads. An event of one country shows when the page's filter names that country.",
    day: "Date",
    labelEn: "Label (English)",
    labelFr: "Label (French)",
    country: "Country (blank: the whole company)",
    wholeCompany: "whole company",
    add: "Add the event",
    none: "No event yet.",
    remove: (label) => `Remove the event “${label}”`,
    removeButton: "Remove",
    added: (label) => `Event added: ${label}.`,
    removed: (label) => `Event removed: ${label}.`,
    errors: {
      day: "Give the date as YYYY-MM-DD.",
      label: "Give a label of 1 to 80 characters.",
      country: "Give a country code of two capital letters, e.g. FR, or leave it blank.",
      notFound: "No such event.",
    },
  },
  "fr-FR": {
    title: "Événements",
    intro:
      "Des événements datés (un partenariat commence, une appli est lancée, une réorganisation) tracés en repères numérotés sur chaque graphique temporel dont la période les contient, et listés dans les téléchargements Excel. L’événement d’un pays apparaît quand le filtre de la page nomme ce pays.",
    day: "Date",
    labelEn: "Libellé (anglais)",
    labelFr: "Libellé (français)",
    country: "Pays (vide : toute l’entreprise)",
    wholeCompany: "toute l’entreprise",
    add: "Ajouter l’événement",
    none: "Aucun événement pour l’instant.",
    remove: (label) => `Supprimer l’événement « ${label} »`,
    removeButton: "Supprimer",
    added: (label) => `Événement ajouté : ${label}.`,
    removed: (label) => `Événement supprimé : ${label}.`,
    errors: {
      day: "Donnez la date au format AAAA-MM-JJ.",
      label: "Donnez un libellé de 1 à 80 caractères.",
      country: "Donnez un code pays de deux majuscules, p. ex. FR, ou laissez vide.",
      notFound: "Cet événement n’existe pas.",
    },
  },
};
