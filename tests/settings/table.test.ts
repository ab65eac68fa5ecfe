import {
  SETTINGS,
  STAGE_DEFAULTS,
  checkParameterNames,
  closestName,
  deployParameterNames,
  environmentFor,
  fromEnvironment,
  parseDeployParameters,
  type Setting,
  type SettingKey,
} from '../../src/settings/table';
import { InvalidConfigError } from '../../src/settings/parsers';
import { thrownBy } from '../support/rejection';

const defaults = new Map(Object.values(SETTINGS).map((s) => [s.param, s.default] as const));
const defaultValues = () => parseDeployParameters((param) => defaults.get(param));

describe('the settings table', () => {
  it('parses every default through its own parser', () => {
    for (const [key, setting] of Object.entries(SETTINGS)) {
      expect(() => setting.parse(setting.default, key)).not.toThrow();
    }
  });

  it('gives every deploy parameter a unique name and every environment variable a unique name', () => {
    const params = deployParameterNames();
    expect(new Set(params).size).toBe(params.length);
    const envs = Object.values(SETTINGS)
      .map((s) => s.env)
      .filter((e) => e !== null);
    expect(new Set(envs).size).toBe(envs.length);
  });

  it('only sets per-stage defaults for known deploy parameters, with values their parsers accept', () => {
    for (const overrides of Object.values(STAGE_DEFAULTS)) {
      for (const [param, value] of Object.entries(overrides)) {
        const setting = Object.values(SETTINGS).find((s) => s.param === param);
        expect(setting).toBeDefined();
        expect(() => setting?.parse(value, param)).not.toThrow();
      }
    }
  });

  it('reads back from the environment exactly what it wrote there, for every setting a function reads', () => {
    const values = defaultValues();
    const keys = (Object.keys(SETTINGS) as SettingKey[]).filter((key) => SETTINGS[key].env !== null);
    const env = environmentFor(values, keys);
    for (const key of keys) {
      expect(fromEnvironment(env, SETTINGS[key] as Setting<unknown>)).toEqual(values[key]);
    }
  });

  it('keeps exemption lists with commas in names intact through the environment', () => {
    const values = {
      ...defaultValues(),
      exemptUserNames: SETTINGS.exemptUserNames.parse('["ops,oncall","-dash-first"]', 'x'),
    };
    const env = environmentFor(values, ['exemptUserNames']);
    expect(fromEnvironment(env, SETTINGS.exemptUserNames)).toEqual(['ops,oncall', '-dash-first']);
  });

  it('refuses a missing environment variable instead of running on a default nobody chose', () => {
    const error = thrownBy(() => fromEnvironment({}, SETTINGS.maxPercent));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('MAX_PERCENT is not set');
  });

  it('names the deploy parameter in a refusal', () => {
    const raw = { ...Object.fromEntries(defaults), maxPercent: '500' };
    expect(() => parseDeployParameters((param) => raw[param as keyof typeof raw])).toThrow(
      'the deploy parameter "maxPercent" must be a whole number from 0 to 100, got "500"',
    );
  });
});

describe('unknown deploy parameters', () => {
  it.each([
    ['maxPrecent', 'maxPercent'],
    ['thresholdDays', 'thresholdDaysDefault'],
    ['NotifyLanguage', 'notifyLanguage'],
    ['exemptUsernames', 'exemptUserNames'],
  ])('refuses %p, naming the closest known name %p', (given, closest) => {
    const error = thrownBy(() => checkParameterNames([given]));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toContain(`unknown deploy parameter "${given}"; did you mean "${closest}"?`);
  });

  it('refuses a name close to nothing without guessing', () => {
    expect(thrownBy(() => checkParameterNames(['colour'])).message).not.toContain('did you mean');
  });

  it('accepts every known name', () => {
    expect(() => checkParameterNames(deployParameterNames())).not.toThrow();
  });

  it('finds no closest name among no candidates', () => {
    expect(closestName('x', [])).toBeNull();
  });
});
