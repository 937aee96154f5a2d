// Form fields typed on the on-screen keyboard: inputmode="none" so no system keyboard pops up, the
// field in focus receives the keys, and each field's error is worded beside it by its code.
import { useState } from 'react';
import { ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import Keyboard from 'react-simple-keyboard';
import type { FieldErrors } from '../flow/steps';
import { useFlowActions } from '../flow/context';
import { i18next } from '../i18n';
import { LAYOUTS, applyKey, type LayerName, type LayoutName } from './layouts';

export interface FieldSpec {
  name: string;
  optional?: boolean;
  kind: 'name' | 'email' | 'tel' | 'code' | 'url' | 'pin';
}

const KNOWN_FIELD_CODES = new Set([
  'REQUIRED',
  'TOO_LONG',
  'EMAIL_INVALID',
  'MOBILE_INVALID',
  'NAME_INVALID',
  'CODE_INVALID',
  'NAME_TAKEN',
]);

const INPUT_TYPE = { name: 'text', code: 'text', email: 'email', tel: 'tel', url: 'url', pin: 'password' } as const;
/** What read-aloud says of a typed value only with headphones on, spelt (speech/describe.ts); a PIN is never said. */
const PERSONAL: Partial<Record<FieldSpec['kind'], 'spell'>> = { name: 'spell', email: 'spell', tel: 'spell', code: 'spell' };

export function KeyboardForm({
  fields,
  values,
  errors,
  prefix = '',
}: {
  fields: readonly FieldSpec[];
  values: Readonly<Record<string, string>>;
  errors: FieldErrors;
  /** A screen's own namespace for its labels and field errors (`setup.`): `<prefix>fields.*`, `<prefix>fieldErrors.*`. */
  prefix?: string;
}) {
  const { t } = useTranslation();
  const { setField } = useFlowActions();
  const [focused, setFocused] = useState(fields[0]?.name ?? '');
  const [layout, setLayout] = useState<LayoutName>('azerty');
  const [layer, setLayer] = useState<LayerName>('default');

  const press = (key: string) => {
    if (key === '{shift}') return setLayer((l) => (l === 'shift' ? 'default' : 'shift'));
    if (key === '{accents}') return setLayer('accents');
    if (key === '{abc}') return setLayer('default');
    setField(focused, applyKey(values[focused] ?? '', key));
    // One capital or one accented letter at a time, as on a phone: then back to the letters.
    if (layer !== 'default' && key !== '{bksp}') setLayer('default');
  };

  return (
    <div className="keyboard-form">
      <div className="fields">
        {fields.map((field) => {
          const code = errors[field.name];
          const id = `field-${field.name}`;
          return (
            <div key={field.name} className={`field${focused === field.name ? ' focused' : ''}${code ? ' invalid' : ''}`}>
              <label htmlFor={id}>
                {t(`${prefix}fields.${field.name}`)}
                {field.optional && <span className="optional"> {t('form.optional')}</span>}
              </label>
              <input
                id={id}
                inputMode="none"
                autoComplete="off"
                spellCheck={false}
                type={INPUT_TYPE[field.kind]}
                value={values[field.name] ?? ''}
                aria-invalid={code !== undefined}
                aria-describedby={code ? `${id}-error` : undefined}
                data-personal={PERSONAL[field.kind]}
                onFocus={() => setFocused(field.name)}
                onChange={(e) => setField(field.name, e.target.value)}
              />
              {code !== undefined && (
                <p id={`${id}-error`} className="field-error">
                  <span aria-hidden="true">! </span>
                  {t(
                    `${prefix}fieldErrors.${KNOWN_FIELD_CODES.has(code) || (prefix !== '' && i18next.exists(`${prefix}fieldErrors.${code}`)) ? code : 'OTHER'}`,
                  )}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <div className="keyboard" role="group" aria-label={t('keyboard.label')} data-speech="group">
        <ToggleButtonGroup
          className="layout-switch"
          aria-label={t('keyboard.layout')}
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[layout]}
          onSelectionChange={(keys) => {
            const [next] = [...keys];
            if (next === 'azerty' || next === 'qwerty') setLayout(next);
          }}
        >
          <ToggleButton id="azerty" className="setting">
            AZERTY
          </ToggleButton>
          <ToggleButton id="qwerty" className="setting">
            QWERTY
          </ToggleButton>
        </ToggleButtonGroup>
        <Keyboard
          layout={LAYOUTS[layout]}
          layoutName={layer}
          useButtonTag
          preventMouseDownDefault
          onKeyPress={press}
          display={{
            '{bksp}': `⌫ ${t('keyboard.delete')}`,
            '{shift}': `⇧ ${t('keyboard.shift')}`,
            '{space}': t('keyboard.space'),
            '{accents}': 'é à ç',
            '{abc}': 'abc',
          }}
          buttonTheme={[{ class: 'wide-key', buttons: '{space}' }]}
        />
      </div>
    </div>
  );
}
