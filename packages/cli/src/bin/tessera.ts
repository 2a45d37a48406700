import 'reflect-metadata';
import { reportFailure } from '../output/report-failure';
import { createProgram } from '../program/create-program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => process.exit(reportFailure(error)));
