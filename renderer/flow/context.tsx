// The flow store for the component tree; one store per page, created in main.tsx. Components read
// only what they show (`useFlow` with a narrow selector) and take actions from `useFlowActions`.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Flow, FlowActions, FlowState, createFlowStore } from './store';

type FlowStore = ReturnType<typeof createFlowStore>;
export const FlowContext = createContext<FlowStore | null>(null);

/** A slice of the flow; the component re-renders only when the selected value changes. */
export function useFlow<T>(select: (flow: Flow) => T): T {
  const store = useContext(FlowContext);
  if (store === null) throw new Error('useFlow outside FlowContext');
  return useStore(store, select);
}

const selectActions = (flow: Flow): FlowActions => flow.actions;

/** Every transition; made once with the store, so taking it never re-renders a component. */
export const useFlowActions = (): FlowActions => useFlow(selectActions);

export type Settings = Pick<FlowState, 'language' | 'largeText' | 'highContrast'>;
const selectSettings = ({ language, largeText, highContrast }: Flow): Settings => ({ language, largeText, highContrast });

/** The screen's settings as one value, compared field by field. */
export const useSettings = (): Settings => useFlow(useShallow(selectSettings));
