// Interface text of signing in, the account menu and the admin pages, in each locale.

import type { Role } from "~/auth/policy";
import type { Locale } from "./locales";

export interface AuthMessages {
  signInTitle: string;
  signInIntro: string;
  /** Shown when a session ended (idle too long, or its lifetime over) and the reader was sent here. */
  expired: string;
  email: string;
  password: string;
  signIn: string;
  signingIn: string;
  signOut: string;
  signedInAs: (email: string) => string;
  roles: Record<Role, string>;
  accountMenu: string;
  errors: Record<"missing" | "too_long" | "failed" | "throttled", (minutes: number) => string>;
  admin: AdminMessages;
}

export interface AdminMessages {
  title: string;
  intro: string;
  usersTitle: string;
  tokensTitle: string;
  auditTitle: string;
  auditLink: string;
  usersLink: string;
  addTitle: string;
  add: string;
  email: string;
  role: string;
  status: string;
  active: string;
  disabled: string;
  lastSignIn: string;
  never: string;
  actions: string;
  changeRole: (email: string) => string;
  save: string;
  disable: string;
  enable: string;
  resetPassword: string;
  newToken: string;
  tokenFor: string;
  label: string;
  createToken: string;
  revoke: string;
  revoked: string;
  prefix: string;
  created: string;
  lastUsed: string;
  noTokens: string;
  secretPassword: (email: string) => string;
  secretToken: (email: string) => string;
  secretOnce: string;
  at: string;
  event: string;
  who: string;
  address: string;
  target: string;
  detail: string;
  allEvents: string;
  filter: string;
  older: string;
  newest: string;
  noEntries: string;
  auditIntro: string;
}

export const AUTH_MESSAGES: Record<Locale, AuthMessages> = {
  "en-GB": {
    signInTitle: "Sign in",
    signInIntro:
      "Backlight holds the company's margins and P&L: sign in with the account your administrator gave you.",
    expired: "Your session has expired. Sign in again to go back to where you were.",
    email: "Email",
    password: "Password",
    signIn: "Sign in",
    signingIn: "Signing in…",
    signOut: "Sign out",
    signedInAs: (email) => `Signed in as ${email}`,
    roles: { executive: "Executive", finance: "Finance", product: "Product", admin: "Administrator" },
    accountMenu: "Account",
    errors: {
      missing: () => "Enter your email and password.",
      too_long: () => "That email or password is longer than any account allows.",
      failed: () => "Email or password is incorrect.",
      throttled: (m) => `Too many failed sign-ins. Try again in ${m} minute${m === 1 ? "" : "s"}.`,
    },
    admin: {
      title: "Users and audit",
      intro: "Accounts, roles and API tokens. Every change here is written to the audit log.",
      usersTitle: "Users",
      tokensTitle: "API tokens",
      auditTitle: "Audit log",
      auditLink: "Read the audit log",
      usersLink: "Users and tokens",
      addTitle: "Add a user",
      add: "Add user",
      email: "Email",
      role: "Role",
      status: "Status",
      active: "Active",
      disabled: "Disabled",
      lastSignIn: "Last sign-in (UTC)",
      never: "Never",
      actions: "Actions",
      changeRole: (email) => `Role of ${email}`,
      save: "Save",
      disable: "Disable",
      enable: "Enable",
      resetPassword: "New password",
      newToken: "New API token",
      tokenFor: "For",
      label: "Label",
      createToken: "Create token",
      revoke: "Revoke",
      revoked: "Revoked",
      prefix: "Starts with",
      created: "Created (UTC)",
      lastUsed: "Last used (UTC)",
      noTokens: "No API token yet.",
      secretPassword: (email) => `Password for ${email}`,
      secretToken: (email) => `API token for ${email}`,
      secretOnce: "Shown once: copy it now and hand it over privately. It is stored only as a hash.",
      at: "When (UTC)",
      event: "Event",
      who: "Who",
      address: "Address",
      target: "On",
      detail: "Detail",
      allEvents: "All events",
      filter: "Apply",
      older: "Older entries",
      newest: "Newest entries",
      noEntries: "No entry matches.",
      auditIntro: "Sign-ins, sign-outs, refusals, downloads and account changes, newest first.",
    },
  },
  "fr-FR": {
    signInTitle: "Connexion",
    signInIntro:
      "Backlight contient les marges et le compte de résultat de l’entreprise : connectez-vous avec le compte fourni par votre administrateur.",
    expired: "Votre session a expiré. Reconnectez-vous pour revenir là où vous étiez.",
    email: "Adresse e-mail",
    password: "Mot de passe",
    signIn: "Se connecter",
    signingIn: "Connexion…",
    signOut: "Se déconnecter",
    signedInAs: (email) => `Connecté en tant que ${email}`,
    roles: { executive: "Direction", finance: "Finance", product: "Produit", admin: "Administrateur" },
    accountMenu: "Compte",
    errors: {
      missing: () => "Saisissez votre adresse e-mail et votre mot de passe.",
      too_long: () => "Cette adresse ou ce mot de passe dépasse la longueur permise.",
      failed: () => "Adresse e-mail ou mot de passe incorrect.",
      throttled: (m) => `Trop d’échecs de connexion. Réessayez dans ${m} minute${m > 1 ? "s" : ""}.`,
    },
    admin: {
      title: "Utilisateurs et journal",
      intro: "Comptes, rôles et jetons d’API. Chaque modification est inscrite au journal d’audit.",
      usersTitle: "Utilisateurs",
      tokensTitle: "Jetons d’API",
      auditTitle: "Journal d’audit",
      auditLink: "Lire le journal d’audit",
      usersLink: "Utilisateurs et jetons",
      addTitle: "Ajouter un utilisateur",
      add: "Ajouter",
      email: "Adresse e-mail",
      role: "Rôle",
      status: "État",
      active: "Actif",
      disabled: "Désactivé",
      lastSignIn: "Dernière connexion (UTC)",
      never: "Jamais",
      actions: "Actions",
      changeRole: (email) => `Rôle de ${email}`,
      save: "Enregistrer",
      disable: "Désactiver",
      enable: "Réactiver",
      resetPassword: "Nouveau mot de passe",
      newToken: "Nouveau jeton d’API",
      tokenFor: "Pour",
      label: "Libellé",
      createToken: "Créer le jeton",
      revoke: "Révoquer",
      revoked: "Révoqué",
      prefix: "Commence par",
      created: "Créé (UTC)",
      lastUsed: "Dernier usage (UTC)",
      noTokens: "Aucun jeton d’API pour l’instant.",
      secretPassword: (email) => `Mot de passe de ${email}`,
      secretToken: (email) => `Jeton d’API de ${email}`,
      secretOnce:
        "Affiché une seule fois : copiez-le maintenant et transmettez-le en privé. Seule son empreinte est conservée.",
      at: "Quand (UTC)",
      event: "Événement",
      who: "Qui",
      address: "Adresse",
      target: "Sur",
      detail: "Détail",
      allEvents: "Tous les événements",
      filter: "Appliquer",
      older: "Entrées plus anciennes",
      newest: "Entrées les plus récentes",
      noEntries: "Aucune entrée ne correspond.",
      auditIntro:
        "Connexions, déconnexions, refus, téléchargements et changements de comptes, du plus récent au plus ancien.",
    },
  },
};
