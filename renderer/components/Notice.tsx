// The last call's error in words, with what to do next; announced to screen readers as it appears.
import { useTranslation } from 'react-i18next';
import type { ErrorCode } from '../../api/contract';
import { useFlow } from '../flow/context';

/** `messageKey`: a screen's own words for the code (the set-up screen's), instead of `errors.<code>`. */
export function ErrorText({ code, count, messageKey }: { code: ErrorCode; count?: number; messageKey?: string }) {
  const { t } = useTranslation();
  return (
    <div className="notice" role="alert">
      <span className="icon" aria-hidden="true">
        !
      </span>
      <p>{t(messageKey ?? `errors.${code}`, { count: count ?? 0 })}</p>
    </div>
  );
}

/** Field errors are shown beside their fields, so the banner only says what is not about a field. */
export function Notice() {
  const notice = useFlow((f) => f.notice);
  if (notice === undefined || (notice.code === 'INVALID_REQUEST' && notice.fields !== undefined)) return null;
  return <ErrorText code={notice.code} count={notice.retryAfterSeconds ?? notice.triesLeft} />;
}
