// The daily start-up check: automatic checks first, then what needs a person, the supplies count and
// the operator's sign-off (name + 18-digit NIP). The result is stored and queued for the district.
import { useEffect, useRef, useState } from 'react';
import type {
  CameraReport,
  CheckRunResult,
  DailyCheckDelivery,
  DailyCheckRecord,
  ManualResult,
  ManualStep,
  StationEvent,
} from '../../electron/station-api';
import type { Verdict } from '../../protocol/verdict';
import { isUsable, statusTone } from '../../protocol/rules';
import type { ScreenProps } from '../App';
import { checkCamera } from '../camera/capture';
import type { TextKey } from '../../protocol/i18n';

type Step = 'automatic' | ManualStep | 'stock' | 'sign-off' | 'done';
const STEPS: Step[] = [
  'automatic',
  'camera',
  'fingerprint',
  'signature',
  'iris',
  'stock',
  'sign-off',
  'done',
];
const STEP_TITLE: Record<Step, TextKey<'kiosk'>> = {
  automatic: 'stepAutomatic',
  camera: 'role.camera',
  fingerprint: 'role.fingerprint',
  signature: 'role.signature',
  iris: 'role.iris',
  stock: 'stepStock',
  'sign-off': 'stepSignOff',
  done: 'stepDone',
};
const INSTRUCTION: Record<'fingerprint' | 'signature' | 'iris', TextKey<'kiosk'>> = {
  fingerprint: 'fingerprintInstruction',
  signature: 'signatureInstruction',
  iris: 'irisInstruction',
};

function CameraStep({ api, t, text, onResult }: ScreenProps & { onResult: (result: ManualResult) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [report, setReport] = useState<CameraReport | null>(null);
  const [attempt, setAttempt] = useState(0);
  // The preview is watched for WATCH_MS before the operator can go on: a camera that freezes a
  // second or two after opening is caught here, not in the middle of a recording.
  const [settled, setSettled] = useState(false);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let alive = true;
    let latest = 0;
    const show = async (update: CameraReport) => {
      const sequence = ++latest;
      const shown = await api.reportCamera(update);
      // An older report answered late never replaces a newer one.
      if (alive && sequence === latest) {
        setReport(update);
        setVerdict(shown);
      }
    };
    (async () => {
      const settings = await api.getSettings();
      if (!alive || !video.current) {
        return;
      }
      const check = await checkCamera(settings.camera, video.current, {
        keepOpen: true,
        watch: {
          onUpdate: (update, done) => {
            if (alive) {
              setSettled(done);
              void show(update).catch(() => undefined);
            }
          },
        },
      });
      stream = check.stream;
      if (!alive) {
        stream?.getTracks().forEach((track) => track.stop());
        return;
      }
      // Nothing to watch when no picture came (missing, denied, in use): the verdict is final.
      setSettled(!check.stream);
      await show(check.report);
    })().catch(() => undefined);
    return () => {
      alive = false;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [api, attempt]);

  const tone = verdict ? statusTone(verdict.status) : 'neutral';
  return (
    <div className="step-camera">
      <p className="instruction">{t('cameraInstruction')}</p>
      <div className="camera-row">
        <video ref={video} className="preview" data-testid="camera-preview" muted playsInline />
        <div
          className={`camera-verdict tile tile-${tone}`}
          data-testid="camera-verdict"
          data-code={report?.code ?? ''}
        >
          {verdict ? (
            <>
              <h2>{text(verdict.message)}</h2>
              {verdict.status !== 'ok' && <p>{text(verdict.nextStep)}</p>}
            </>
          ) : (
            <h2>{t('cameraChecking')}</h2>
          )}
        </div>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            setVerdict(null);
            setReport(null);
            setSettled(false);
            setAttempt((value) => value + 1);
          }}
        >
          {t('cameraRetry')}
        </button>
        <button
          type="button"
          className="button-primary"
          data-testid="camera-next"
          disabled={!verdict || !settled}
          onClick={() =>
            onResult({
              step: 'camera',
              // The same rule as the board: a usable camera (a warning, in use) does not stop the day.
              result: verdict && isUsable(verdict.status) ? 'ok' : 'problem',
              note: report?.code,
            })
          }
        >
          {t('next')}
        </button>
      </div>
    </div>
  );
}

/** One labelled text field of the wizard, large enough to tap. */
function Field(props: {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  numeric?: boolean;
  maxLength?: number;
}) {
  return (
    <label className="field">
      {props.label}
      <input
        data-testid={props.testId}
        inputMode={props.numeric ? 'numeric' : undefined}
        maxLength={props.maxLength}
        autoComplete="off"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
}

/** The step's problems and its one button forward. */
function StepFooter(props: {
  problems: TextKey<'kiosk'>[];
  errorTestId?: string;
  t: ScreenProps['t'];
  label: TextKey<'kiosk'>;
  testId: string;
  onClick: () => void;
}) {
  return (
    <>
      {props.problems.map((problem) => (
        <div key={problem} className="field-error" role="alert" data-testid={props.errorTestId}>
          {props.t(problem)}
        </div>
      ))}
      <div className="actions">
        <button type="button" className="button-primary" data-testid={props.testId} onClick={props.onClick}>
          {props.t(props.label)}
        </button>
      </div>
    </>
  );
}

/** What the operator reads about the sign-off's way to the district. */
const DELIVERY_TEXT = {
  sent: 'dailySent',
  queued: 'dailyQueued',
  refused: 'dailyRefused',
} as const satisfies Record<DailyCheckDelivery, TextKey<'kiosk'>>;

export function DailyCheck(props: ScreenProps & { onClose: () => void }) {
  const { api, t, text, onClose } = props;
  const [step, setStep] = useState<Step>('automatic');
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [run, setRun] = useState<CheckRunResult | null>(null);
  const [manual, setManual] = useState<ManualResult[]>([]);
  const [blankCards, setBlankCards] = useState('');
  const [ribbonPrints, setRibbonPrints] = useState('');
  const [name, setName] = useState('');
  const [nip, setNip] = useState('');
  const [problems, setProblems] = useState<TextKey<'kiosk'>[]>([]);
  const [record, setRecord] = useState<DailyCheckRecord | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    const unsubscribe = api.subscribe((event: StationEvent) => {
      if (event.type === 'check-progress') {
        setProgress({ done: event.done, total: event.total });
      }
      // "Sent" only once the district acknowledged the sign-off: the status says when.
      if (event.type === 'status') {
        const { lastCompletedAt, delivery } = event.status.dailyCheck;
        setRecord((current) =>
          current && delivery && current.completedAt === lastCompletedAt && current.delivery !== delivery
            ? { ...current, delivery }
            : current,
        );
      }
    });
    api
      .startDailyCheck()
      .then((result) => alive && setRun(result))
      .catch(() => alive && setFailed(true));
    api
      .getConsumables()
      .then((stock) => {
        if (alive) {
          setBlankCards(stock.blankCards === null ? '' : String(stock.blankCards));
          setRibbonPrints(stock.ribbonPrints === null ? '' : String(stock.ribbonPrints));
        }
      })
      .catch(() => undefined);
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [api]);

  const index = STEPS.indexOf(step);
  const advance = () => setStep(STEPS[Math.min(index + 1, STEPS.length - 1)]!);
  const answer = (result: ManualResult) => {
    setManual((previous) => [...previous.filter((each) => each.step !== result.step), result]);
    advance();
  };
  const count = (value: string) => (/^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : null);

  const submitStock = () => {
    const invalid: TextKey<'kiosk'>[] = [];
    if (count(blankCards) === null || count(ribbonPrints) === null) {
      invalid.push('numberInvalid');
    }
    setProblems(invalid);
    if (invalid.length === 0) {
      advance();
    }
  };
  const submit = () => {
    const invalid: TextKey<'kiosk'>[] = [];
    if (name.trim().length < 2) {
      invalid.push('nameInvalid');
    }
    if (!/^\d{18}$/.test(nip.trim())) {
      invalid.push('nipInvalid');
    }
    setProblems(invalid);
    if (invalid.length > 0 || !run) {
      return;
    }
    api
      .submitDailyCheck({
        runId: run.runId,
        manual,
        consumables: { blankCards: count(blankCards)!, ribbonPrints: count(ribbonPrints)! },
        operator: { name: name.trim(), nip: nip.trim() },
      })
      .then((saved) => {
        setRecord(saved);
        setStep('done');
      })
      .catch(() => setFailed(true));
  };

  const percent = Math.round(((index + 1) / STEPS.length) * 100);
  const automaticPercent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="wizard" data-testid="wizard" data-step={step}>
      <div className="wizard-head">
        <h1>
          {t('wizardTitle')}: {t(STEP_TITLE[step])}
        </h1>
        <div className="muted">{t('stepOf', { current: index + 1, total: STEPS.length })}</div>
        <div
          className="progress"
          role="progressbar"
          aria-valuenow={percent}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="progress-fill" style={{ width: `${percent}%` }} />
        </div>
      </div>
      {failed && (
        <div className="error" role="alert">
          {t('errorGeneric')}
        </div>
      )}
      {step === 'automatic' && (
        <div className="step" data-testid="step-automatic">
          <p className="instruction">{run ? t('automaticDone') : t('automaticRunning')}</p>
          <div
            className="progress progress-big"
            data-testid="automatic-progress"
            data-done={progress.done}
            data-total={progress.total}
          >
            <div className="progress-fill" style={{ width: `${run ? 100 : automaticPercent}%` }} />
          </div>
          <p className="muted">
            {t('checkedCount', {
              done: run ? progress.total || run.verdicts.length : progress.done,
              total: progress.total || (run?.verdicts.length ?? 0),
            })}
          </p>
          {run && (
            <ul className="verdict-list" data-testid="automatic-results">
              {run.verdicts
                .filter((verdict) => verdict.role !== null)
                .map((verdict) => (
                  <li key={`${verdict.role}-${verdict.code}`} className={`verdict verdict-${statusTone(verdict.status)}`}>
                    <span className="verdict-dot" /> {text(verdict.message)}
                  </li>
                ))}
            </ul>
          )}
          <div className="actions">
            <button type="button" className="button" onClick={onClose}>
              {t('cancel')}
            </button>
            <button
              type="button"
              className="button-primary"
              data-testid="automatic-next"
              disabled={!run}
              onClick={advance}
            >
              {t('next')}
            </button>
          </div>
        </div>
      )}
      {step === 'camera' && <CameraStep {...props} onResult={answer} />}
      {(step === 'fingerprint' || step === 'signature' || step === 'iris') && (
        <div className="step" data-testid={`step-${step}`}>
          <p className="instruction">{t(INSTRUCTION[step])}</p>
          <div className="actions actions-big">
            <button
              type="button"
              className="button-answer answer-no"
              data-testid="answer-no"
              onClick={() => answer({ step, result: 'problem' })}
            >
              ✖ {t('answerNo')}
            </button>
            <button
              type="button"
              className="button-answer answer-yes"
              data-testid="answer-yes"
              onClick={() => answer({ step, result: 'ok' })}
            >
              ✔ {t('answerYes')}
            </button>
          </div>
        </div>
      )}
      {step === 'stock' && (
        <div className="step" data-testid="step-stock">
          <p className="instruction">{t('stockInstruction')}</p>
          <Field
            label={t('blankCards')}
            testId="blank-cards"
            value={blankCards}
            onChange={setBlankCards}
            numeric
          />
          <Field
            label={t('ribbonPrints')}
            testId="ribbon-prints"
            value={ribbonPrints}
            onChange={setRibbonPrints}
            numeric
          />
          <StepFooter problems={problems} t={t} label="next" testId="stock-next" onClick={submitStock} />
        </div>
      )}
      {step === 'sign-off' && (
        <div className="step" data-testid="step-sign-off">
          <p className="instruction">{t('signOffInstruction')}</p>
          <Field label={t('operatorName')} testId="operator-name" value={name} onChange={setName} />
          <Field
            label={t('operatorNip')}
            testId="operator-nip"
            value={nip}
            onChange={(value) => setNip(value.replace(/\D/g, ''))}
            numeric
            maxLength={18}
          />
          <StepFooter
            problems={problems}
            errorTestId="sign-off-error"
            t={t}
            label="finish"
            testId="finish"
            onClick={submit}
          />
        </div>
      )}
      {step === 'done' && record && (
        <div className="step" data-testid="step-done" data-can-record={String(record.canRecord)}>
          <p className="instruction big">
            {record.canRecord ? t('resultCanRecord') : t('resultCannotRecord')}
          </p>
          <p data-testid="daily-delivery" data-delivery={record.delivery}>
            {t(DELIVERY_TEXT[record.delivery])}
          </p>
          <div className="actions">
            <button type="button" className="button-primary" data-testid="wizard-close" onClick={onClose}>
              {t('close')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
