// The flow store for the component tree; one store per page, created in main.tsx.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Flow, createFlowStore } from './store';

type FlowStore = ReturnType<typeof createFlowStore>;
export const FlowContext = createContext<FlowStore | null>(null);

export function useFlow<T>(select: (flow: Flow) => T): T {
  const store = useContext(FlowContext);
  if (store === null) throw new Error('useFlow outside FlowContext');
  return useStore(store, select);
}
