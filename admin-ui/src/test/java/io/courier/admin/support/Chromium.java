package io.courier.admin.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * The system's headless Chromium (Debian packages {@code chromium} and
 * {@code chromium-driver}) driven by Selenium; no browser or driver is downloaded. A
 * fresh profile per browser.
 */
public final class Chromium {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private Chromium() {
	}

	public static WebDriver start() {
		if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
			fail("The browser tests need Debian's Chromium and its driver (" + BROWSER + ", " + DRIVER
					+ "): apt-get install chromium chromium-driver");
		}
		System.setProperty("webdriver.chrome.driver", DRIVER.toString());
		try {
			Path profile = Files.createTempDirectory("courier-chromium-");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(BROWSER.toFile());
			options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
				.usingAnyFreePort()
				.build();
			return new ChromeDriver(service, options);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Saves a PNG of the current page under {@code courier.screenshots} when that is set
	 * (the build sets {@code target/screenshots}; README says how to refresh
	 * docs/images).
	 */
	public static void screenshot(WebDriver driver, String name) {
		String directory = System.getProperty("courier.screenshots");
		if (directory == null) {
			return;
		}
		try {
			File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
			Path target = Path.of(directory, name + ".png");
			Files.createDirectories(target.getParent());
			Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
