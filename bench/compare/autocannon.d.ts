/** The slice of autocannon's API the HTTP create benchmark uses (the package ships no types). */
declare module "autocannon" {
  interface AutocannonOptions {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
  }
  interface AutocannonResult {
    errors: number;
    non2xx: number;
    requests: { total: number; average: number };
  }
  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}
