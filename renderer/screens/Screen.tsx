// One screen per step; the exhaustive switch makes a new step without a screen a compile error.
import { missingCase } from '../flow/steps';
import { useFlow } from '../flow/context';
import { Attract } from './Attract';
import { Committing, Confirmation } from './Confirmation';
import { Consent } from './Consent';
import { Contact, ManualForm } from './Forms';
import { Manager, ManagerPin } from './Manager';
import { ManagerStaff } from './ManagerStaff';
import { MyConsents } from './MyConsents';
import { Permission } from './Permission';
import { Reading } from './Reading';
import { Setup } from './Setup';
import { StaffCheck } from './StaffCheck';

export function Screen() {
  const step = useFlow((f) => f.step);
  switch (step.kind) {
    case 'attract':
      return <Attract />;
    case 'permission':
      return <Permission step={step} />;
    case 'reading':
      return <Reading step={step} />;
    case 'staffCheck':
      return <StaffCheck step={step} />;
    case 'manualForm':
      return <ManualForm step={step} />;
    case 'consent':
      return <Consent step={step} />;
    case 'contact':
      return <Contact step={step} />;
    case 'committing':
      return <Committing />;
    case 'confirmation':
      return <Confirmation step={step} />;
    case 'myConsents':
      return <MyConsents step={step} />;
    case 'managerPin':
      return <ManagerPin step={step} />;
    case 'manager':
      return <Manager step={step} />;
    case 'managerStaff':
      return <ManagerStaff step={step} />;
    case 'setup':
      return <Setup step={step} />;
    default:
      return missingCase(step);
  }
}
