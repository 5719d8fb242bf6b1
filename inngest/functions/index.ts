import { runJob } from "./run-job";

export const functions = [runJob];
