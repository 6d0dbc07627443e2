// Saved views: the words of the /views page and of the "Save this view" form on every dashboard page.

import type { Role } from "~/auth/policy";
import type { Locale } from "./locales";

export interface ViewsMessages {
  title: string;
  intro: string;
  link: string;
  save: string;
  saveSummary: string;
  name: string;
  share: string;
  onlyMe: string;
  sharedWith: (role: string) => string;
  submit: string;
  saved: (name: string) => string;
  deleted: (name: string) => string;
  none: string;
  colName: string;
  colPage: string;
  colShared: string;
  colOwner: string;
  colCreated: string;
  remove: (name: string) => string;
  removeButton: string;
  mine: string;
  errors: {
    name: string;
    path: string;
    share: string;
    notFound: string;
    notYours: string;
  };
}

export const VIEWS_MESSAGES: Record<Locale, ViewsMessages> = {
  "en-GB": {
    title: "Saved views",
    intro: "Pages with their filters, kept under a name: yours, and those shared with your role.",
    link: "Saved views",
    save: "Save this view",
    saveSummary: "☆ Save this view",
    name: "Name",
    share: "Who sees it",
    onlyMe: "Only me",
    sharedWith: (role) => `Everyone in ${role}`,
    submit: "Save",
    saved: (name) => `Saved “${name}”.`,
    deleted: (name) => `Deleted “${name}”.`,
    none: "No saved view yet: open a page, set its filters, and use “Save this view” at the top of the page.",
    colName: "Name",
    colPage: "Page",
    colShared: "Shared with",
    colOwner: "Saved by",
    colCreated: "Saved on",
    remove: (name) => `Delete the saved view “${name}”`,
    removeButton: "Delete",
    mine: "you",
    errors: {
      name: "Give the view a name of 1 to 80 characters.",
      path: "Only a dashboard page of this site can be saved.",
      share: "Share with one of the roles, or keep it to yourself.",
      notFound: "This saved view no longer exists.",
      notYours: "Only its owner or an admin can delete a saved view.",
    },
  },
  "fr-FR": {
    title: "Vues enregistrées",
    intro:
      "Des pages avec leurs filtres, gardées sous un nom : les vôtres, et celles partagées avec votre rôle.",
    link: "Vues enregistrées",
    save: "Enregistrer cette vue",
    saveSummary: "☆ Enregistrer cette vue",
    name: "Nom",
    share: "Qui la voit",
    onlyMe: "Moi seul",
    sharedWith: (role) => `Tout le rôle ${role}`,
    submit: "Enregistrer",
    saved: (name) => `« ${name} » est enregistrée.`,
    deleted: (name) => `« ${name} » est supprimée.`,
    none: "Aucune vue enregistrée : ouvrez une page, réglez ses filtres et utilisez « Enregistrer cette vue » en haut de la page.",
    colName: "Nom",
    colPage: "Page",
    colShared: "Partagée avec",
    colOwner: "Enregistrée par",
    colCreated: "Enregistrée le",
    remove: (name) => `Supprimer la vue enregistrée « ${name} »`,
    removeButton: "Supprimer",
    mine: "vous",
    errors: {
      name: "Donnez à la vue un nom de 1 à 80 caractères.",
      path: "Seule une page du tableau de bord de ce site peut être enregistrée.",
      share: "Partagez avec l’un des rôles, ou gardez-la pour vous.",
      notFound: "Cette vue enregistrée n’existe plus.",
      notYours: "Seul son auteur ou un admin peut supprimer une vue enregistrée.",
    },
  },
};

/** The roles a view can be shared with: those who open dashboard pages. */
export const SHARE_ROLES = ["executive", "finance", "product"] as const satisfies readonly Role[];
