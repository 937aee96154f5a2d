// The identity as it will be kept (only the policy's fields reach the screen), and for the staff
// check alone the photo beside it: shown for the face check, never stored, never on the customer's
// own screens.
import { useTranslation } from 'react-i18next';
import type { ShownIdentity } from '../../api/contract';
import { useFlow } from '../flow/context';

export function formatDate(iso: string, language: string): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** The kept fields alone: what the customer sees of the read (the photo is for the staff check). */
export function IdentityFields({ identity }: { identity: ShownIdentity }) {
  const { t } = useTranslation();
  const language = useFlow((f) => f.language);
  const rows: [string, string][] = [
    ['surname', identity.surname],
    ['firstNames', identity.firstNames],
  ];
  if (identity.birthDate !== undefined) rows.push(['birthDate', formatDate(identity.birthDate, language)]);
  if (identity.sex !== undefined) rows.push(['sex', t(`fields.sex${identity.sex}`)]);
  const a = identity.address;
  if (a !== undefined) rows.push(['address', `${a.street}, ${a.postalCode} ${a.municipality}`]);
  return (
    <dl className="fields-list">
      {rows.map(([field, value]) => (
        <div key={field}>
          <dt>{t(`fields.${field}`)}</dt>
          {/* The customer's own details: read aloud only with headphones, names spelt. */}
          <dd data-personal={field === 'surname' || field === 'firstNames' ? 'spell' : ''}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** For the staff check: the photo's frame (its `src` once the photo has come) beside the kept fields. */
export function IdentityView({ identity, photo }: { identity: ShownIdentity; photo: { src: string | undefined } }) {
  const { t } = useTranslation();
  return (
    <div className="identity">
      <div className="photo-frame">
        {photo.src !== undefined ? (
          <img src={photo.src} alt={t('reading.photoAlt')} />
        ) : (
          <span className="photo-placeholder">{t('reading.photoComing')}</span>
        )}
      </div>
      <IdentityFields identity={identity} />
    </div>
  );
}
