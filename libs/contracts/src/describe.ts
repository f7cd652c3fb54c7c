import 'reflect-metadata';

const KEY = Symbol('imb:describe');

/** Documents a payload field; the text appears in docs/events.md. */
export function Describe(text: string): PropertyDecorator {
  return (target, property) => {
    const map: Map<string, string> = Reflect.getMetadata(KEY, target.constructor) ?? new Map<string, string>();
    map.set(String(property), text);
    Reflect.defineMetadata(KEY, map, target.constructor);
  };
}

/** The field descriptions recorded with {@link Describe}, by property name. */
export function describedFields(cls: object): Map<string, string> {
  return (Reflect.getMetadata(KEY, cls) as Map<string, string> | undefined) ?? new Map<string, string>();
}
