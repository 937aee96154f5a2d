// The chain's signed updates, checked in plain Node (tested under Node, no Electron). The chain signs
// the release metadata electron-builder writes (latest.yml, latest-linux.yml, ...) with its Ed25519
// key and serves the base64 signature beside it (`.sig`); the kiosk pins the public key. Only what
// the signed metadata names is installed: electron-updater's own view of the release and each file
// it downloaded are checked against it, and anything that does not verify is refused.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { CodedError } from '../common/coded-error.js';
import { describeIssues } from '../sync/zod-issues.js';

const UPDATE_ERRORS = {
  KEY_INVALID: 'The configured updatePublicKey is not a raw Ed25519 public key (base64url, 32 bytes).',
  UNREACHABLE: 'The update metadata could not be fetched.',
  SIGNATURE_MISSING: 'The update metadata has no signature beside it.',
  SIGNATURE_INVALID: "The update metadata is not signed with the chain's key.",
  METADATA_INVALID: 'The signed update metadata does not list a release (version, files with sha512 and size).',
  VIEW_MISMATCH: "The updater's view of the release differs from the signed metadata.",
  FILE_MISMATCH: 'The downloaded update does not match the signed metadata.',
} as const;
export type UpdateErrorCode = keyof typeof UPDATE_ERRORS;

export class UpdateError extends CodedError<UpdateErrorCode> {
  override readonly name = 'UpdateError';
  /** `detail` names a URL, a status or a file, never a key. */
  constructor(code: UpdateErrorCode, detail?: string) {
    super(UPDATE_ERRORS, code, detail);
  }
}

const ReleaseFile = z.object({
  url: z.string().min(1),
  sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  size: z.number().int().positive(),
});
/** What the kiosk takes from the signed metadata; electron-builder's other fields (releaseDate, path, ...) are ignored. */
const ReleaseMetadata = z.object({ version: z.string().min(1), files: z.array(ReleaseFile).min(1) });
export type SignedRelease = z.infer<typeof ReleaseMetadata>;
export type ReleaseFile = z.infer<typeof ReleaseFile>;

/** The metadata and its signature are small; a server sending more is not the chain's release server. */
const MAX_METADATA_BYTES = 1 << 20;
const FETCH_TIMEOUT_MS = 30_000;

/** The pinned key as a KeyObject; `base64url` is the raw 32-byte key (RFC 8037's `x`). */
export function updatePublicKey(base64url: string): KeyObject {
  if (!/^[A-Za-z0-9_-]{43}$/.test(base64url)) throw new UpdateError('KEY_INVALID');
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url }, format: 'jwk' });
  } catch {
    throw new UpdateError('KEY_INVALID');
  }
}

/** electron-updater's channel file for the platform (its Provider's naming: x64 Linux has no arch suffix). */
export function channelFile(platform: NodeJS.Platform, arch: string): string {
  if (platform === 'linux') return `latest-linux${arch === 'x64' ? '' : `-${arch}`}.yml`;
  return platform === 'darwin' ? 'latest-mac.yml' : 'latest.yml';
}

/** The release the metadata lists, once its signature verifies with the chain's key. */
export function verifyMetadata(metadata: Buffer, signature: string, key: KeyObject): SignedRelease {
  const sig = signature.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(sig) || !verify(null, metadata, key, Buffer.from(sig, 'base64')))
    throw new UpdateError('SIGNATURE_INVALID');
  return parseRelease(metadata);
}

/** The release electron-builder's metadata lists (also checked by the signing tool before it signs). */
export function parseRelease(metadata: Buffer): SignedRelease {
  let parsed: unknown;
  try {
    parsed = load(metadata.toString('utf8'), { schema: CORE_SCHEMA });
  } catch {
    throw new UpdateError('METADATA_INVALID', 'not YAML');
  }
  const release = ReleaseMetadata.safeParse(parsed);
  if (!release.success) throw new UpdateError('METADATA_INVALID', describeIssues(release.error.issues, { limit: 3 }));
  return release.data;
}

export interface FetchReleaseOptions {
  /** The chain's update server (https; the settings refuse anything else). */
  readonly updateUrl: string;
  readonly publicKey: KeyObject;
  /** The metadata's file name (`channelFile`). */
  readonly channelFile: string;
  /** PEM of a CA to trust instead of the system's (tests). */
  readonly ca?: string;
}

/** Fetches the channel file and its `.sig` over https and returns the release once it verifies. */
export async function fetchSignedRelease(options: FetchReleaseOptions): Promise<SignedRelease> {
  // Without the trailing slash, URL resolution would drop the base path's last segment.
  const base = new URL(options.updateUrl.endsWith('/') ? options.updateUrl : `${options.updateUrl}/`);
  if (base.protocol !== 'https:') throw new UpdateError('UNREACHABLE', 'not https');
  const agent = new Agent({
    connect: options.ca !== undefined ? { ca: options.ca } : {},
    headersTimeout: FETCH_TIMEOUT_MS,
    bodyTimeout: FETCH_TIMEOUT_MS,
  });
  try {
    const metadataUrl = new URL(options.channelFile, base);
    const metadata = await fetchSmall(agent, metadataUrl);
    if (metadata === undefined) throw new UpdateError('UNREACHABLE', `${metadataUrl.href}: not found`);
    const signatureUrl = new URL(`${options.channelFile}.sig`, base);
    const signature = await fetchSmall(agent, signatureUrl);
    if (signature === undefined) throw new UpdateError('SIGNATURE_MISSING', signatureUrl.href);
    return verifyMetadata(metadata, signature.toString('ascii'), options.publicKey);
  } finally {
    await agent.close();
  }
}

/** The body of a 200, undefined for a 404; anything else (a redirect, a refusal, too big) is UNREACHABLE. */
async function fetchSmall(agent: Agent, url: URL): Promise<Buffer | undefined> {
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { dispatcher: agent, headers: { 'cache-control': 'no-cache' } });
  } catch (e) {
    throw new UpdateError('UNREACHABLE', `${url.href}: ${(e as { code?: string }).code ?? 'network'}`);
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    if (res.statusCode === 404) return undefined;
    throw new UpdateError('UNREACHABLE', `${url.href}: HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_METADATA_BYTES) {
      res.body.destroy();
      throw new UpdateError('UNREACHABLE', `${url.href}: over ${MAX_METADATA_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** electron-updater's parsed view of the release (its UpdateInfo), as far as the kiosk checks it. */
export interface UpdaterView {
  readonly version: string;
  readonly files: readonly { readonly url: string; readonly sha512: string; readonly size?: number | undefined }[];
}

/** Refuses unless electron-updater is about to fetch exactly the signed release: same version, same files. */
export function checkUpdaterView(signed: SignedRelease, view: UpdaterView): void {
  const key = (f: UpdaterView['files'][number]) => JSON.stringify([f.url, f.sha512, f.size]);
  const ours = signed.files.map(key).sort();
  const theirs = view.files.map(key).sort();
  if (view.version !== signed.version || ours.length !== theirs.length || ours.some((k, i) => k !== theirs[i]))
    throw new UpdateError('VIEW_MISMATCH', `signed ${signed.version}, updater ${view.version}`);
}

/** The file electron-updater saves a release file as: the last segment of its URL's path, decoded. */
const savedName = (url: string): string => basename(decodeURIComponent(new URL(url, 'https://release.invalid/').pathname));

/** Refuses a downloaded file unless the signed metadata names it with its exact sha512 and size. */
export async function verifyDownloadedFile(signed: SignedRelease, path: string): Promise<ReleaseFile> {
  const name = basename(path);
  const file = signed.files.find((f) => savedName(f.url) === name);
  if (file === undefined) throw new UpdateError('FILE_MISMATCH', `${name}: not in the signed metadata`);
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  if (size !== file.size || hash.digest('base64') !== file.sha512) throw new UpdateError('FILE_MISMATCH', name);
  return file;
}

/** electron-updater's autoUpdater as far as the verified update uses it. */
export interface UpdaterPort {
  checkForUpdates(): Promise<{ readonly isUpdateAvailable: boolean; readonly updateInfo: UpdaterView } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(): void;
}

export interface VerifiedUpdateOptions extends FetchReleaseOptions {
  /** Settles when no customer is at the kiosk: installing restarts the app. */
  readonly idle: () => Promise<void>;
}

/**
 * One update round: check, verify the signed metadata and the updater's view of it, download, verify
 * every downloaded file, and only then install. Resolves the installed version, or undefined when
 * there is none newer; rejects with an UpdateError (nothing installed) when anything does not verify.
 */
export async function runVerifiedUpdate(updater: UpdaterPort, options: VerifiedUpdateOptions): Promise<string | undefined> {
  const check = await updater.checkForUpdates();
  if (check === null || !check.isUpdateAvailable) return undefined;
  const signed = await fetchSignedRelease(options);
  checkUpdaterView(signed, check.updateInfo);
  const downloaded = await updater.downloadUpdate();
  if (downloaded.length === 0) throw new UpdateError('FILE_MISMATCH', 'nothing downloaded');
  for (const path of downloaded) await verifyDownloadedFile(signed, path);
  await options.idle();
  updater.quitAndInstall();
  return signed.version;
}
