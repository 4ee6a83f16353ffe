export { markExpected } from './expected';
export { nextStep, type NextStep } from './nextStep';
export { untilText, upgradeInProgress, type UpgradeInProgress } from './state';
export { roleSentence } from './roleText';
