export * from './types';
export * from './filters';
export * from './pdb';
export * from './messages';
export * from './run';
export * from './waitDeletions';
