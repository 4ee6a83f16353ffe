export { nextStep, type NextStep } from './nextStep';
// Whether an upgrade is under way is read from the apiservers' versions, so it lives with the skew rules it softens.
export { upgradeInProgress, type UpgradeInProgress } from '../skew/inProgress';
export { roleSentence } from './roleText';
