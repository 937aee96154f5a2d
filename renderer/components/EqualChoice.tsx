// Two answers that must weigh the same: one component, one style, the same size, colour and place
// for both (consent.md "Equal treatment"; the regulator's finding on pushed consent).
import { Button } from 'react-aria-components';

export interface Choice {
  label: string;
  hint?: string;
  onPress: () => void;
}

export function EqualChoice({ first, second, disabled }: { first: Choice; second: Choice; disabled?: boolean }) {
  return (
    <div className="equal-choice">
      {[first, second].map((choice) => (
        <Button key={choice.label} className="choice" onPress={choice.onPress} isDisabled={disabled}>
          <span className="choice-label">{choice.label}</span>
          {choice.hint !== undefined && <span className="choice-hint">{choice.hint}</span>}
        </Button>
      ))}
    </div>
  );
}
