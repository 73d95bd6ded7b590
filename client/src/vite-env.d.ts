/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Stripe publishable key, used when the order response does not carry one. */
  readonly VITE_STRIPE_PUBLISHABLE_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
