// POST /v1/provision: a kiosk's set-up exchanges the back office's one-time code for its token and
// its settings (operations.md, "Provision"). Shared by the registry's route and the kiosk's command.
import { z } from 'zod';

export const ProvisionRequest = z.strictObject({ code: z.string().min(1).max(64) });
export type ProvisionRequest = z.infer<typeof ProvisionRequest>;

const StatementRef = z.strictObject({ id: z.string().min(1), version: z.string().min(1) });

export const ProvisionedSettings = z.strictObject({
  chainId: z.string().min(1),
  /** The controller's name in the chain's published statement. */
  chainName: z.string().min(1),
  storeId: z.string().min(1),
  kioskId: z.string().min(1),
  /** The chain's keep-policy (sync/store/policy.ts); absent when the registry knows none, and the kiosk keeps its default. */
  keep: z
    .strictObject({ address: z.boolean(), birthDate: z.boolean(), sex: z.boolean(), email: z.boolean(), mobile: z.boolean() })
    .optional(),
  /** The statement versions the registry publishes as current now. */
  statements: z.strictObject({ chain: StatementRef, registry: StatementRef }),
  updateUrl: z.url().optional(),
  updatePublicKey: z.string().min(1).optional(),
});
export type ProvisionedSettings = z.infer<typeof ProvisionedSettings>;

export const ProvisionResponse = z.strictObject({
  /** The kiosk's bearer token, shown this once. */
  token: z.string().min(16),
  settings: ProvisionedSettings,
});
export type ProvisionResponse = z.infer<typeof ProvisionResponse>;
