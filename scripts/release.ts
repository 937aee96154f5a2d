// `npm run release -- keygen|sign`: the chain's tool for signed kiosk updates (operations.md, Update).
//   keygen --out DIR                 writes update-signing.key (PKCS#8 PEM, 0600) and update-signing.pub
//   sign   --key FILE METADATA.yml   writes METADATA.yml.sig: the base64 Ed25519 signature of its bytes
// The public key (base64url of the raw 32 bytes, as kiosk.json's `updatePublicKey`) is printed by both.
// Exit codes as every command line of the project (common/cli.ts): 0 done, 1 failed, 2 usage.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isEntryPoint, processIo, runCommandLine, UsageError, type CommandIo } from '../common/cli.js';
import { parseRelease, updatePublicKey, verifyMetadata } from '../electron/update-verify.js';

const USAGE = `usage: release <command> [options]
  keygen --out DIR                  a new Ed25519 key pair: DIR/update-signing.key (private, 0600; keep it off the
                                    update server) and DIR/update-signing.pub (the kiosks' updatePublicKey)
  sign   --key FILE METADATA.yml    signs electron-builder's release metadata (latest.yml, latest-linux.yml, ...):
                                    writes METADATA.yml.sig, to publish beside it after the release's files`;

const OPTIONS = {
  out: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const PRIVATE_KEY_FILE = 'update-signing.key';
export const PUBLIC_KEY_FILE = 'update-signing.pub';

/** The raw 32-byte public key as base64url: the form kiosk.json's `updatePublicKey` takes. */
const rawPublicKey = (key: KeyObject): string => {
  const { x } = key.export({ format: 'jwk' });
  if (x === undefined) throw new Error('not an Ed25519 key');
  return x;
};

/** The whole command line as a function: tests call it as the program does. */
export const runReleaseCommand = (argv: readonly string[], io: CommandIo): Promise<number> =>
  runCommandLine(argv, io, { usage: USAGE, options: OPTIONS }, async (command, values, args) => {
    switch (command) {
      case 'keygen': {
        if (!values.out) throw new UsageError('--out is required');
        if (args.length > 0) throw new UsageError('keygen takes no file');
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        mkdirSync(values.out, { recursive: true, mode: 0o700 });
        // `wx`: never overwrite a chain's key, which every kiosk of its fleet has pinned.
        writeFileSync(join(values.out, PRIVATE_KEY_FILE), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
        writeFileSync(join(values.out, PUBLIC_KEY_FILE), `${rawPublicKey(publicKey)}\n`, { flag: 'wx' });
        io.stdout(`updatePublicKey: ${rawPublicKey(publicKey)}\n`);
        return 0;
      }
      case 'sign': {
        if (!values.key) throw new UsageError('--key is required');
        const [metadataFile, ...rest] = args;
        if (metadataFile === undefined || rest.length > 0) throw new UsageError('sign takes one metadata file');
        const privateKey = createPrivateKey(readFileSync(values.key));
        if (privateKey.asymmetricKeyType !== 'ed25519') throw new UsageError(`${values.key} is not an Ed25519 private key`);
        const metadata = readFileSync(metadataFile);
        // Sign only what a kiosk will accept, and check the signature the way a kiosk does.
        const release = parseRelease(metadata);
        const signature = sign(null, metadata, privateKey).toString('base64');
        const publicKey = rawPublicKey(createPublicKey(privateKey));
        verifyMetadata(metadata, signature, updatePublicKey(publicKey));
        writeFileSync(`${metadataFile}.sig`, `${signature}\n`);
        io.stdout(
          `${basename(metadataFile)}.sig: version ${release.version}, ${release.files.length} file(s), updatePublicKey ${publicKey}\n`,
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  });

if (isEntryPoint(import.meta.url)) process.exitCode = await runReleaseCommand(process.argv.slice(2), processIo);
